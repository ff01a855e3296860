import { Link, NavLink, Outlet, useOutletContext, useParams } from "react-router";
import { getOrg } from "../../api/orgs";
import type { Org } from "../../api/types";
import { orgPath, useOrgAddress } from "../org-path";
import { PageMessage } from "../../components/PageMessage";
import { useDocumentTitle } from "../../components/use-document-title";
import { useResource } from "../../components/use-resource";

export interface OrgContext {
  org: Org;
  /** Admins and owners manage members, invitations and see the audit log. */
  isAdmin: boolean;
  /** Replaces the org shown in the header (after a rename); after a new slug the address follows. */
  setOrg: (org: Org) => void;
}

/** The org page's tabs read the org from here. */
export const useOrg = () => useOutletContext<OrgContext>();

/** `/orgs/:org/*`: the organization's header and tabs (projects, members, audit log, settings). */
export function OrgLayout() {
  // The org's slug, or in an older link its id or a slug it had.
  const { org: ref = "" } = useParams();
  const address = useOrgAddress(ref);
  const { resource, set } = useResource(async () => {
    const org = await getOrg(ref);
    address.loaded(org);
    return org;
  }, [address.key]);
  useDocumentTitle(resource.status === "ready" ? resource.data.name : "Organization");

  if (resource.status === "loading") {
    return (
      <main id="main" className="page">
        <PageMessage busy title="Loading organization…" />
      </main>
    );
  }
  if (resource.status === "error") {
    const missing = resource.error.status === 404 || resource.error.status === 400;
    return (
      <main id="main" className="page">
        <PageMessage title={missing ? "You do not have access to this organization" : "This organization could not be loaded"} tone="error">
          <p>{missing ? "It does not exist, or you are not one of its members. Ask one of its admins to invite you." : resource.error.message}</p>
          <Link to="/" className="button">
            Back to your organizations
          </Link>
        </PageMessage>
      </main>
    );
  }
  const org = resource.data;
  const isAdmin = org.role !== "member";
  const base = orgPath(org);
  const setOrg = (changed: Org) => {
    set(() => changed);
    address.loaded(changed);
  };
  return (
    <main id="main" className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Organizations</Link> <span aria-hidden="true">/</span> <span aria-current="page">{org.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{org.name}</h1>
          <p className="muted">
            You are <span className={`badge role-${org.role}`}>{org.role}</span> here ·{" "}
            <span className="org-handle" title={`This organization's address: ${base}. Names may repeat; addresses do not.`}>
              @{org.slug}
            </span>
          </p>
        </div>
      </div>
      <nav aria-label="Organization" className="tabs">
        <NavLink to={base} end>
          Projects
        </NavLink>
        <NavLink to={`${base}/members`}>Members</NavLink>
        {isAdmin && <NavLink to={`${base}/audit-log`}>Audit log</NavLink>}
        {isAdmin && <NavLink to={`${base}/settings`}>Settings</NavLink>}
      </nav>
      <Outlet context={{ org, isAdmin, setOrg } satisfies OrgContext} />
    </main>
  );
}
