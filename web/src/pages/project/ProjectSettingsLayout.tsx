import { Link, NavLink, Outlet, useOutletContext, useParams } from "react-router";
import { getOrg, getProject } from "../../api/orgs";
import type { Org, Project } from "../../api/types";
import { orgPath, useOrgAddress } from "../org-path";
import { ProjectUnavailable } from "./ProjectUnavailable";
import { PageMessage } from "../../components/PageMessage";
import { useDocumentTitle } from "../../components/use-document-title";
import { useResource } from "../../components/use-resource";

export interface ProjectSettingsContext {
  org: Org;
  project: Project;
  /** The project's admins and the org's admins and owners manage it (rename, members, roles). */
  canManage: boolean;
  /** Replaces the project shown (after a rename or a visibility change). */
  setProject: (project: Project) => void;
}

/** The project settings' tabs read the org and project from here. */
export const useProjectSettings = () => useOutletContext<ProjectSettingsContext>();

/** `/orgs/:org/projects/:project/settings/*`: the project's header and tabs (general, members, roles). */
export function ProjectSettingsLayout() {
  // The org's slug (or its id, in an older link); the project's API wants its id.
  const { org: ref = "", project: projectId = "" } = useParams();
  const address = useOrgAddress(ref);
  const { resource, set } = useResource(async () => {
    const org = await getOrg(ref);
    const loaded: [Org, Project] = [org, await getProject(org.id, projectId)];
    address.loaded(org);
    return loaded;
  }, [address.key, projectId]);
  useDocumentTitle(resource.status === "ready" ? `${resource.data[1].name} settings` : "Project settings");

  if (resource.status === "loading") {
    return (
      <main id="main" className="page">
        <PageMessage busy title="Loading project…" />
      </main>
    );
  }
  if (resource.status === "error") return <ProjectUnavailable orgId={ref} projectId={projectId} error={resource.error} />;
  const [org, project] = resource.data;
  const canManage = org.role !== "member" || project.role === "admin";
  const base = `${orgPath(org)}/projects/${project.id}`;
  return (
    <main id="main" className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Organizations</Link> <span aria-hidden="true">/</span> <Link to={orgPath(org)}>{org.name}</Link> <span aria-hidden="true">/</span>{" "}
        <span aria-current="page">{project.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{project.name}</h1>
          <p className="muted">
            Project settings · {project.visibility === "org" ? "everyone in the organization sees it" : "only its members see it"}
            {project.role && (
              <>
                {" "}
                · you are <span className={`badge role-${project.role}`}>{project.role}</span>
              </>
            )}
          </p>
        </div>
        <Link to={base} className="button primary">
          Open the board
        </Link>
      </div>
      <nav aria-label="Project settings" className="tabs">
        <NavLink to={`${base}/settings`} end>
          General
        </NavLink>
        <NavLink to={`${base}/settings/members`}>Members</NavLink>
        <NavLink to={`${base}/settings/roles`}>Custom roles</NavLink>
      </nav>
      <Outlet context={{ org, project, canManage, setProject: (p) => set(([o]) => [o, p]) } satisfies ProjectSettingsContext} />
    </main>
  );
}
