import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { deleteProject, updateProject } from "../../api/orgs";
import type { Visibility } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { VisibilityChoice } from "../../components/VisibilityChoice";
import { orgPath } from "../org-path";
import { useProjectSettings } from "./ProjectSettingsLayout";

/** `…/settings`: the project's name and who sees it; managers change them or delete the project. */
export function GeneralTab() {
  const { org, project, canManage, setProject } = useProjectSettings();
  const navigate = useNavigate();
  const [name, setName] = useState(project.name);
  const [visibility, setVisibility] = useState<Visibility>(project.visibility);
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const remove = useAction();

  const changed = { ...(name.trim() !== project.name ? { name: name.trim() } : {}), ...(visibility !== project.visibility ? { visibility } : {}) };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const outcome = await save.run(() => updateProject(org.id, project.id, changed));
    if (!outcome.ok) return;
    setProject(outcome.value);
    setSaved(true);
  };
  const destroy = async () => {
    const outcome = await remove.run(() => deleteProject(org.id, project.id));
    if (outcome.ok) navigate(orgPath(org), { replace: true });
  };

  return (
    <div className="settings">
      <section className="card" aria-labelledby="project-general-title">
        <h2 id="project-general-title">Name and visibility</h2>
        <form onSubmit={(e) => void submit(e)} className="stack">
          <fieldset disabled={!canManage} className="plain">
            <div className="stack">
              <Field
                label="Project name"
                name="project-name"
                required
                maxLength={100}
                value={name}
                onChange={(e) => {
                  setName(e.target.value);
                  setSaved(false);
                }}
                error={save.error?.field("name")}
              />
              <VisibilityChoice value={visibility} onChange={setVisibility} hint="Org admins and owners see every project. Making it members-only disconnects everyone else at once." />
            </div>
          </fieldset>
          {!save.error?.field("name") && <ErrorMessage error={save.error} />}
          {saved && (
            <p className="alert ok" role="status">
              Saved.
            </p>
          )}
          {canManage ? (
            <div className="actions">
              <button type="submit" className="button primary" disabled={save.pending || Object.keys(changed).length === 0 || !name.trim()}>
                {save.pending ? "Saving…" : "Save changes"}
              </button>
            </div>
          ) : (
            <p className="hint">Only the project's admins and the organization's admins and owners may change it.</p>
          )}
        </form>
      </section>
      {canManage && (
        <section className="card danger-zone" aria-labelledby="delete-project-title">
          <h2 id="delete-project-title">Delete the project</h2>
          <p>Its board, notes and chats go for good; whoever has it open is disconnected.</p>
          <ErrorMessage error={remove.error} />
          <div className="actions">
            <ConfirmButton label="Delete this project" question={`Delete “${project.name}” and its board?`} confirmLabel="Delete" onConfirm={() => void destroy()} />
          </div>
        </section>
      )}
    </div>
  );
}
