import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { deleteOrg, renameOrg } from "../../api/orgs";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { IdleSettings } from "../../modules/user-containers/IdleSettings";
import { useSession } from "../../session/session";
import { OrgAddress } from "./OrgAddress";
import { useOrg } from "./OrgLayout";

/** `/orgs/:org/settings` (admins and owners): rename the organization, change its address, stop idle containers; owners may delete it. */
export function SettingsTab() {
  const { org, isAdmin } = useOrg();
  if (!isAdmin) {
    return (
      <div className="empty">
        <h2>Only the organization's admins and owners see its settings</h2>
      </div>
    );
  }
  return (
    <div className="settings">
      <RenameOrg />
      <OrgAddress />
      <IdleSettings org={org.id} />
      <DeleteOrg />
      {org.role !== "owner" && <p className="hint">Only an owner may delete the organization.</p>}
    </div>
  );
}

function RenameOrg() {
  const { org, setOrg } = useOrg();
  const { refresh } = useSession();
  const [name, setName] = useState(org.name);
  const [saved, setSaved] = useState(false);
  const { run, pending, error } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const outcome = await run(() => renameOrg(org.id, name.trim()));
    if (!outcome.ok) return;
    setOrg(outcome.value);
    setName(outcome.value.name);
    setSaved(true);
    // The session lists the person's orgs by name too.
    void refresh();
  };
  const unchanged = name.trim() === org.name;
  return (
    <section className="card" aria-labelledby="org-name-title">
      <h2 id="org-name-title">Name</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field
          label="Organization name"
          name="org-name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setSaved(false);
          }}
          error={error?.field("name")}
          hint="Everyone in the organization sees it, in invitations too."
        />
        {!error?.field("name") && <ErrorMessage error={error} />}
        {saved && (
          <p className="alert ok" role="status">
            Renamed to <strong>{org.name}</strong>.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button primary" disabled={pending || unchanged || !name.trim()}>
            {pending ? "Saving…" : "Save name"}
          </button>
        </div>
      </form>
    </section>
  );
}

function DeleteOrg() {
  const { org } = useOrg();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [typed, setTyped] = useState("");
  const { run, pending, error } = useAction();
  if (org.role !== "owner") return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => deleteOrg(org.id));
    if (!outcome.ok) return;
    await refresh();
    navigate("/", { replace: true, state: { notice: `${org.name} was deleted.` } });
  };
  return (
    <section className="card danger-zone" aria-labelledby="delete-org-title">
      <h2 id="delete-org-title">Delete the organization</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p>
          This deletes <strong>{org.name}</strong> with all its projects and their boards, its members' access and its pending invitations, at once and for good.
          Everyone connected to one of its projects is disconnected. The audit log keeps a record of it.
        </p>
        <Field
          label={`Type “${org.name}” to confirm`}
          name="confirm-org-name"
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" className="button danger" disabled={pending || typed !== org.name}>
            {pending ? "Deleting…" : "Delete this organization"}
          </button>
        </div>
      </form>
    </section>
  );
}
