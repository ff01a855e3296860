import { useEffect, useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { createOrg, listOrgs } from "../api/orgs";
import { ErrorMessage } from "../components/ErrorMessage";
import { Field } from "../components/Field";
import { formatDate } from "../components/format";
import { PageMessage } from "../components/PageMessage";
import { useAction } from "../components/use-action";
import { useDocumentTitle } from "../components/use-document-title";
import { useResource } from "../components/use-resource";
import { useMe, useSession } from "../session/session";
import { orgPath } from "./org-path";

/** `/`: the organizations you belong to; create one. */
export function OrgsPage() {
  const me = useMe();
  useDocumentTitle("Organizations");
  const { resource } = useResource(() => listOrgs().then((r) => r.orgs), []);
  // Set by the page that sent the person here (e.g. after deleting an organization); shown
  // once: taken out of the history entry, so a reload or Back does not show it again.
  const location = useLocation();
  const navigate = useNavigate();
  const [notice] = useState(() => (location.state as { notice?: string } | null)?.notice);
  useEffect(() => {
    if ((location.state as { notice?: string } | null)?.notice) void navigate(location.pathname + location.search, { replace: true, state: null });
  }, [location, navigate]);
  return (
    <main id="main" className="page">
      {notice && (
        <p className="alert ok" role="status">
          {notice}
        </p>
      )}
      <div className="page-head">
        <div>
          <h1>Your organizations</h1>
          <p className="muted">Hello {me.user.name}. Pick an organization to see its projects and people.</p>
        </div>
      </div>
      <div className="columns">
        <section aria-labelledby="orgs-title" aria-busy={resource.status === "loading"}>
          <h2 id="orgs-title" className="visually-hidden">
            Organizations
          </h2>
          {resource.status === "loading" && <PageMessage busy title="Loading organizations…" />}
          {resource.status === "error" && <ErrorMessage error={resource.error} />}
          {resource.status === "ready" &&
            (resource.data.length === 0 ? (
              <div className="empty">
                <h3>No organizations yet</h3>
                <p>Create one for your team, or ask an admin of an existing one to invite you by email.</p>
              </div>
            ) : (
              <ul className="tile-list">
                {resource.data.map((org) => (
                  <li key={org.id}>
                    <Link to={orgPath(org)} className="tile">
                      <span className="tile-mark" aria-hidden="true">
                        {org.name.slice(0, 1).toUpperCase()}
                      </span>
                      <span className="tile-body">
                        <span className="tile-title">
                          {org.name}{" "}
                          <span className="org-handle" title={`${org.name}'s address: ${orgPath(org)}`}>
                            @{org.slug}
                          </span>
                        </span>
                        <span className="tile-meta">
                          <span className={`badge role-${org.role}`}>{org.role}</span> · since {formatDate(org.createdAt)}
                        </span>
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            ))}
        </section>
        <CreateOrgForm />
      </div>
    </main>
  );
}

function CreateOrgForm() {
  const [name, setName] = useState("");
  const { run, pending, error } = useAction();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => createOrg(name.trim()));
    if (!outcome.ok) return;
    void refresh();
    navigate(orgPath(outcome.value));
  };
  return (
    <section className="card side" aria-labelledby="new-org-title">
      <h2 id="new-org-title">New organization</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field label="Name" name="name" required maxLength={100} placeholder="Acme Research" value={name} onChange={(e) => setName(e.target.value)} error={error?.field("name")} />
        {!error?.field("name") && <ErrorMessage error={error} />}
        <button type="submit" className="button primary" disabled={pending || !name.trim()}>
          {pending ? "Creating…" : "Create organization"}
        </button>
        <p className="hint">You become its owner and can invite people next.</p>
      </form>
    </section>
  );
}
