import type { ReactNode } from "react";
import { Link } from "react-router";
import { getProjectAccess } from "../../api/orgs";
import type { ApiError } from "../../api/client";
import { PageMessage } from "../../components/PageMessage";
import { useDocumentTitle } from "../../components/use-document-title";
import { useResource } from "../../components/use-resource";

/**
 * What a project page shows instead of the project when loading it failed: for a 404 (or a
 * malformed id), the API's reason — no access (outside the org, or members only) or no such
 * project; any other failure as it came.
 */
export function ProjectUnavailable({ orgId, projectId, error }: { orgId: string; projectId: string; error: ApiError }) {
  const refused = error.status === 404 || error.status === 400;
  const { resource } = useResource(() => (refused ? getProjectAccess(orgId, projectId) : Promise.resolve(null)), [orgId, projectId, refused]);
  const access = resource.status === "ready" ? resource.data : null;
  const notFound = access?.access === "not_found" || (resource.status === "error" && resource.error.status === 400);
  useDocumentTitle(notFound ? "Project not found" : "No access");

  if (!refused) {
    return (
      <Frame>
        <PageMessage title="This project could not be loaded" tone="error">
          <p>{error.message}</p>
          <Link to={`/orgs/${orgId}`} className="button">
            Back to the organization
          </Link>
        </PageMessage>
      </Frame>
    );
  }
  if (resource.status === "loading") {
    return (
      <Frame>
        <PageMessage busy title="Loading project…" />
      </Frame>
    );
  }
  if (notFound) {
    return (
      <Frame>
        <PageMessage title="This project does not exist">
          <p>It may have been deleted, or the link is mistyped.</p>
          <Link to="/" className="button primary">
            Go to your organizations
          </Link>
        </PageMessage>
      </Frame>
    );
  }
  const outsider = access?.access === "no_access" && access.reason === "not_org_member";
  const orgName = access?.access === "no_access" ? access.org?.name : undefined;
  return (
    <Frame>
      <PageMessage title="You do not have access to this project" tone="error">
        {outsider ? (
          <p>It belongs to an organization you are not a member of. Ask one of its admins to invite you.</p>
        ) : (
          <p>
            This project{orgName ? ` of ${orgName}` : ""} is open to its members only. Ask one of its admins to add you.
          </p>
        )}
        <Link to={outsider ? "/" : `/orgs/${orgId}`} className="button primary">
          {outsider ? "Go to your organizations" : `Back to ${orgName ?? "the organization"}`}
        </Link>
      </PageMessage>
    </Frame>
  );
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="page narrow">
      {children}
    </main>
  );
}
