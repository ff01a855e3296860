import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { orgPath } from "../org-path";
import { listMembers, listProjectMembers, removeProjectMember, setProjectMember } from "../../api/orgs";
import type { OrgMember, ProjectMember, ProjectRole } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { RoleHelp } from "../../components/RoleHelp";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatDate } from "../../components/format";
import { PageMessage } from "../../components/PageMessage";
import { PersonSummary } from "../../components/PersonSummary";
import { useAction } from "../../components/use-action";
import { useResource } from "../../components/use-resource";
import { useMe } from "../../session/session";
import { memberWork } from "../../modules/registry";
import { useProjectSettings } from "./ProjectSettingsLayout";

const ROLES: ProjectRole[] = ["member", "admin"];
/** What each project role does; a member's work is what the modules offer (read when shown, once the modules are loaded). */
const roleHelp = (): Record<ProjectRole, string> => ({
  member: `works on the board: ${memberWork().join(", ")}`,
  admin: "also renames the project, manages its members and custom roles, deletes it",
});
const byName = (a: ProjectMember, b: ProjectMember) => a.user.name.localeCompare(b.user.name);

/** `…/settings/members`: who is in the project with which role; managers add, change and remove. */
export function ProjectMembersTab() {
  const { org, project, canManage } = useProjectSettings();
  const me = useMe();
  const navigate = useNavigate();
  const members = useResource(() => listProjectMembers(org.id, project.id).then((r) => r.members), [org.id, project.id]);
  const orgMembers = useResource(() => (canManage ? listMembers(org.id).then((r) => r.members) : Promise.resolve([])), [org.id, canManage]);
  const action = useAction();
  const [saved, setSaved] = useState<string | null>(null);

  const changeRole = (member: ProjectMember, role: ProjectRole) => {
    setSaved(null);
    void action.run(async () => {
      const updated = await setProjectMember(org.id, project.id, member.user.id, role);
      members.set((list) => list.map((m) => (m.user.id === member.user.id ? updated : m)));
      setSaved(`Saved: ${member.user.name || member.user.email} is ${updated.role === "admin" ? "an admin" : "a member"} of the project now.`);
    });
  };
  const remove = (member: ProjectMember) =>
    void action.run(async () => {
      setSaved(null);
      await removeProjectMember(org.id, project.id, member.user.id);
      // Leaving a members-only project you do not manage leaves you nothing to see here.
      if (member.user.id === me.user.id && !canManage) return navigate(orgPath(org), { replace: true });
      members.set((list) => list.filter((m) => m.user.id !== member.user.id));
    });

  const { resource } = members;
  const inProject = new Set(resource.status === "ready" ? resource.data.map((m) => m.user.id) : []);
  return (
    <div className="columns">
      <section aria-labelledby="project-members-title" aria-busy={resource.status === "loading"}>
        <h2 id="project-members-title" className="section-title">
          Project members{resource.status === "ready" && <span className="count">{resource.data.length}</span>}
        </h2>
        <p className="muted section-lead">
          {project.visibility === "org"
            ? "Everyone in the organization can open this project as a member; people listed here have an explicit role."
            : "Only the people listed here, and the organization's admins and owners, can open this project."}
        </p>
        <ErrorMessage error={action.error} />
        {saved && !action.error && (
          <p className="alert ok" role="status">
            {saved}
          </p>
        )}
        {resource.status === "loading" && <PageMessage busy title="Loading members…" />}
        {resource.status === "error" && <ErrorMessage error={resource.error} />}
        {resource.status === "ready" &&
          (resource.data.length === 0 ? (
            <div className="empty">
              <h3>No project members yet</h3>
              <p>{canManage ? "Add people from the organization." : "Ask a project admin to add people."}</p>
            </div>
          ) : (
            <ul className="rows" aria-label="Project members">
              {resource.data.map((member) => {
                const self = member.user.id === me.user.id;
                return (
                  <li key={member.user.id} className="row">
                    <PersonSummary user={member.user} self={self} detail={`added ${formatDate(member.addedAt)}`} />
                    <div className="row-actions">
                      {canManage ? (
                        <select aria-label={`Project role of ${member.user.name}`} value={member.role} disabled={action.pending} onChange={(e) => changeRole(member, e.target.value as ProjectRole)}>
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span className={`badge role-${member.role}`}>{member.role}</span>
                      )}
                      {canManage && !self && (
                        <ConfirmButton label="Remove" accessibleLabel={`Remove ${member.user.name} from the project`} question={`Remove ${member.user.name} from ${project.name}?`} onConfirm={() => remove(member)} />
                      )}
                      {self && <ConfirmButton label="Leave" accessibleLabel="Leave the project" question={`Leave ${project.name}?`} onConfirm={() => remove(member)} />}
                    </div>
                  </li>
                );
              })}
            </ul>
          ))}
      </section>
      {canManage ? (
        <AddMemberForm
          candidates={orgMembers.resource.status === "ready" ? orgMembers.resource.data.filter((m) => !inProject.has(m.user.id)) : null}
          loadError={orgMembers.resource.status === "error" ? orgMembers.resource.error : null}
          onAdd={(userId, role) => setProjectMember(org.id, project.id, userId, role)}
          onAdded={(member) => members.set((list) => [...list.filter((m) => m.user.id !== member.user.id), member].sort(byName))}
        />
      ) : (
        <aside className="card side">
          <h2>Project roles</h2>
          <RoleHelp roles={ROLES} help={roleHelp()} />
          <p className="hint">Ask a project admin to add someone.</p>
        </aside>
      )}
    </div>
  );
}

interface AddProps {
  /** Org members not yet in the project; null while loading. */
  candidates: OrgMember[] | null;
  loadError: ReturnType<typeof useAction>["error"];
  onAdd: (userId: string, role: ProjectRole) => Promise<ProjectMember>;
  onAdded: (member: ProjectMember) => void;
}

function AddMemberForm({ candidates, loadError, onAdd, onAdded }: AddProps) {
  const [userId, setUserId] = useState("");
  const [role, setRole] = useState<ProjectRole>("member");
  const [added, setAdded] = useState<string | null>(null);
  const { run, pending, error } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    const outcome = await run(() => onAdd(userId, role));
    if (!outcome.ok) return;
    onAdded(outcome.value);
    setAdded(outcome.value.user.name);
    setUserId("");
    setRole("member");
  };
  return (
    <section className="card side" aria-labelledby="add-member-title">
      <h2 id="add-member-title">Add someone</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <div className="field">
          <label htmlFor="add-member-person">Person</label>
          <select id="add-member-person" value={userId} onChange={(e) => setUserId(e.target.value)} disabled={!candidates || candidates.length === 0}>
            <option value="">{!candidates ? "Loading…" : candidates.length === 0 ? "Everyone is in it already" : "Choose a member of the organization"}</option>
            {candidates?.map((m) => (
              <option key={m.user.id} value={m.user.id}>
                {m.user.name} ({m.user.email})
              </option>
            ))}
          </select>
          <p className="hint">To add someone from outside, invite them to the organization first.</p>
        </div>
        <div className="field">
          <label htmlFor="add-member-role">Project role</label>
          <select id="add-member-role" value={role} onChange={(e) => setRole(e.target.value as ProjectRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <p className="hint">A project {role} {roleHelp()[role]}.</p>
        </div>
        <ErrorMessage error={loadError ?? error} />
        {added && (
          <p className="alert ok" role="status">
            <strong>{added}</strong> is in the project now.
          </p>
        )}
        <button type="submit" className="button primary" disabled={pending || !userId}>
          {pending ? "Adding…" : "Add to the project"}
        </button>
      </form>
    </section>
  );
}
