import { Link, useParams } from "react-router";
import { getOrg, getProject } from "../api/orgs";
import { ProjectEditor } from "../board/ProjectEditor";
import { PageMessage } from "../components/PageMessage";
import { useDocumentTitle } from "../components/use-document-title";
import { useResource } from "../components/use-resource";
import { ProjectUnavailable } from "./project/ProjectUnavailable";

/**
 * `/orgs/:org/projects/:project`: the whiteboard, under a thin breadcrumb. The board opens
 * once the API says the project is there for this person; otherwise a page says why not (no
 * access, or no such project), never the board's shell.
 */
export function ProjectPage() {
  const { org = "", project = "" } = useParams();
  const { resource } = useResource(() => Promise.all([getOrg(org), getProject(org, project)]), [org, project]);
  const names = resource.status === "ready" ? { org: resource.data[0].name, project: resource.data[1].name } : null;
  useDocumentTitle(names?.project ?? "Project");
  if (resource.status === "error") return <ProjectUnavailable orgId={org} projectId={project} error={resource.error} />;
  if (resource.status === "loading") {
    return (
      <main id="main" className="page narrow">
        <PageMessage busy title="Opening the project…" />
      </main>
    );
  }
  return (
    <main id="main" className="board-page">
      <div className="board-crumbs">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/">Organizations</Link> <span aria-hidden="true">/</span>{" "}
          <Link to={`/orgs/${org}`}>{names?.org ?? "Organization"}</Link> <span aria-hidden="true">/</span>{" "}
          <span aria-current="page">{names?.project ?? "Project"}</span>
        </nav>
        <Link to={`/orgs/${org}/projects/${project}/settings`} className="crumb-action">
          Project settings
        </Link>
      </div>
      <div className="board-frame">
        <ProjectEditor orgId={org} projectId={project} />
      </div>
    </main>
  );
}
