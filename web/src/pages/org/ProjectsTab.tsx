import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { createProject, deleteProject, listProjects, updateProject } from "../../api/orgs";
import type { Project, ProjectListItem, Visibility } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { formatDate, formatDateTime, formatRelative } from "../../components/format";
import { PageMessage } from "../../components/PageMessage";
import { useAction } from "../../components/use-action";
import { useResource } from "../../components/use-resource";
import { VisibilityChoice } from "../../components/VisibilityChoice";
import { orgPath } from "../org-path";
import { useOrg } from "./OrgLayout";

const byName = (a: Project, b: Project) => a.name.localeCompare(b.name);

/** The org's projects: open, create, rename, delete. */
export function ProjectsTab() {
  const { org, isAdmin } = useOrg();
  const { resource, set } = useResource(() => listProjects(org.id).then((r) => r.projects), [org.id]);
  const action = useAction();

  const rename = (project: Project, name: string) =>
    action.run(async () => {
      const updated = await updateProject(org.id, project.id, { name });
      set((list) => list.map((p) => (p.id === project.id ? { ...updated, lastEdit: p.lastEdit } : p)).sort(byName));
    });
  const remove = (project: ProjectListItem) =>
    void action.run(async () => {
      await deleteProject(org.id, project.id);
      set((list) => list.filter((p) => p.id !== project.id));
    });

  return (
    <div className="columns">
      <section aria-labelledby="projects-title" aria-busy={resource.status === "loading"}>
        <h2 id="projects-title" className="section-title">
          Projects
        </h2>
        <ErrorMessage error={action.error} />
        {resource.status === "loading" && <PageMessage busy title="Loading projects…" />}
        {resource.status === "error" && <ErrorMessage error={resource.error} />}
        {resource.status === "ready" &&
          (resource.data.length === 0 ? (
            <div className="empty">
              <h3>No projects yet</h3>
              <p>A project is one whiteboard. Create the first one for {org.name}.</p>
            </div>
          ) : (
            <ul className="rows">
              {resource.data.map((project) => (
                <ProjectRow key={project.id} project={project} canManage={isAdmin || project.role === "admin"} onRename={rename} onDelete={remove} />
              ))}
            </ul>
          ))}
      </section>
      <CreateProjectForm orgId={org.id} />
    </div>
  );
}

interface RowProps {
  project: ProjectListItem;
  canManage: boolean;
  onRename: (project: Project, name: string) => Promise<{ ok: boolean }>;
  onDelete: (project: ProjectListItem) => void;
}

/** "edited 5 minutes ago by Ada", or when it was created if nobody has changed it yet. */
function LastEdited({ project }: { project: ProjectListItem }) {
  const edit = project.lastEdit;
  if (!edit) return <>created {formatDate(project.createdAt)}</>;
  return (
    <>
      edited{" "}
      <time dateTime={edit.at} title={formatDateTime(edit.at)}>
        {formatRelative(edit.at)}
      </time>
      {edit.by && ` by ${edit.by.name}`}
    </>
  );
}

function ProjectRow({ project, canManage, onRename, onDelete }: RowProps) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(project.name);
  const { org } = useOrg();
  const href = `${orgPath(org)}/projects/${project.id}`;
  if (editing) {
    const save = async (event: FormEvent) => {
      event.preventDefault();
      if (name.trim() === project.name || (await onRename(project, name.trim())).ok) setEditing(false);
    };
    return (
      <li className="row">
        <form className="inline-form" onSubmit={(e) => void save(e)} onKeyDown={(e) => e.key === "Escape" && setEditing(false)}>
          <Field label={`New name for ${project.name}`} className="inline" autoFocus required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="button small primary" disabled={!name.trim()}>
            Save
          </button>
          <button type="button" className="button small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      </li>
    );
  }
  return (
    <li className="row">
      <Link to={href} className="row-main">
        <span className="row-title">{project.name}</span>
        <span className="row-meta">
          {/* One inline run: the row lays its direct children out as a column. */}
          <span>
            {project.visibility === "org" ? "Everyone in the organization" : "Members only"} · <LastEdited project={project} />
            {project.role && ` · you are ${project.role}`}
          </span>
        </span>
      </Link>
      <div className="row-actions">
        <Link to={href} className="button small" aria-label={`Open ${project.name}`}>
          Open
        </Link>
        <Link to={`${href}/settings/members`} className="button small" aria-label={`Members and roles of ${project.name}`}>
          Members
        </Link>
        {canManage && (
          <>
            <button
              type="button"
              className="button small"
              aria-label={`Rename ${project.name}`}
              onClick={() => {
                setName(project.name);
                setEditing(true);
              }}
            >
              Rename
            </button>
            <ConfirmButton label="Delete" accessibleLabel={`Delete ${project.name}`} question={`Delete “${project.name}” and its board?`} onConfirm={() => onDelete(project)} />
          </>
        )}
      </div>
    </li>
  );
}

/** Creates a project and opens its board: what someone creating one wants next. */
function CreateProjectForm({ orgId }: { orgId: string }) {
  const { org } = useOrg();
  const [name, setName] = useState("");
  const [visibility, setVisibility] = useState<Visibility>("org");
  const { run, pending, error } = useAction();
  const navigate = useNavigate();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => createProject(orgId, { name: name.trim(), visibility }));
    if (outcome.ok) navigate(`${orgPath(org)}/projects/${outcome.value.id}`);
  };
  return (
    <section className="card side" aria-labelledby="new-project-title">
      <h2 id="new-project-title">New project</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field label="Name" name="project-name" required maxLength={100} placeholder="Q3 experiments" value={name} onChange={(e) => setName(e.target.value)} error={error?.field("name")} />
        <VisibilityChoice value={visibility} onChange={setVisibility} hint="Org admins and owners see every project." />
        {!error?.field("name") && <ErrorMessage error={error} />}
        <button type="submit" className="button primary" disabled={pending || !name.trim()}>
          {pending ? "Creating…" : "Create project"}
        </button>
      </form>
    </section>
  );
}
