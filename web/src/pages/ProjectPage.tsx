import { Link, useParams } from "react-router";
import { getOrg, getProject } from "../api/orgs";
import { ProjectEditor } from "../board/ProjectEditor";
import { PageMessage } from "../components/PageMessage";
import { useDocumentTitle } from "../components/use-document-title";
import { useResource } from "../components/use-resource";
import { orgPath, useOrgAddress } from "./org-path";
import { ProjectUnavailable } from "./project/ProjectUnavailable";

/**
 * `/orgs/:org/projects/:project`: the whiteboard, under a thin breadcrumb. The board opens
 * once the API says the project is there for this person; otherwise a page says why not (no
 * access, or no such project), never the board's shell.
 */
export function ProjectPage() {
  // The org's slug (or its id, in an older link); the gateway and the project's API want its id.
  const { org: ref = "", project = "" } = useParams();
  const address = useOrgAddress(ref);
  const { resource } = useResource(async () => {
    const org = await getOrg(ref);
    const loaded = [org, await getProject(org.id, project)] as const;
    address.loaded(org);
    return loaded;
  }, [address.key, project]);
  useDocumentTitle(resource.status === "ready" ? resource.data[1].name : "Project");
  if (resource.status === "error") return <ProjectUnavailable orgId={ref} projectId={project} error={resource.error} />;
  if (resource.status === "loading") {
    return (
      <main id="main" className="page narrow">
        <PageMessage busy title="Opening the project…" />
      </main>
    );
  }
  const [org, { name }] = resource.data;
  return (
    <main id="main" className="board-page">
      <div className="board-crumbs">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/">Organizations</Link> <span aria-hidden="true">/</span>{" "}
          <Link to={orgPath(org)}>{org.name}</Link> <span aria-hidden="true">/</span>{" "}
          <span aria-current="page">{name}</span>
        </nav>
        <Link to={`${orgPath(org)}/projects/${project}/settings`} className="crumb-action">
          Project settings
        </Link>
      </div>
      <div className="board-frame">
        <ProjectEditor orgId={org.id} projectId={project} />
      </div>
    </main>
  );
}
