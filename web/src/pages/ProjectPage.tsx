import { Link, useParams } from "react-router";
import { getOrg, getProject } from "../api/orgs";
import { ProjectEditor } from "../board/ProjectEditor";
import { useDocumentTitle } from "../components/use-document-title";
import { useResource } from "../components/use-resource";

/** `/orgs/:org/projects/:project`: the whiteboard, under a thin breadcrumb. */
export function ProjectPage() {
  const { org = "", project = "" } = useParams();
  // For the breadcrumb's names only: the editor checks access itself when it connects.
  const { resource } = useResource(() => Promise.all([getOrg(org), getProject(org, project)]), [org, project]);
  const names = resource.status === "ready" ? { org: resource.data[0].name, project: resource.data[1].name } : null;
  useDocumentTitle(names?.project ?? "Project");
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
