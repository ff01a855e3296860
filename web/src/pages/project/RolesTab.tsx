/**
 * `…/settings/roles`: the project's custom roles, kept in its doc on the org's gateway (the
 * `roles` module). Read live over the project's gateway socket; changed only by events.
 */
import { useState } from "react";
import type * as Y from "yjs";
import { type RoleRecord, assignmentsOf, readAssignment, readRole, rolesOf } from "../../../../gateway-do/src/modules/roles";
import { listMembers, listProjectMembers } from "../../api/orgs";
import type { OrgMember } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorMessage } from "../../components/ErrorMessage";
import { PageMessage } from "../../components/PageMessage";
import { useResource } from "../../components/use-resource";
import type { GatewayEvent } from "../../gateway/messages";
import { RoleForm } from "./RoleForm";
import { useProjectSettings } from "./ProjectSettingsLayout";
import { permissionLabel } from "./permissions";
import { useProjectGateway } from "./use-project-gateway";

interface RolesState {
  roles: RoleRecord[];
  /** Role ids held, by user id. */
  assignments: ReadonlyMap<string, readonly string[]>;
}

/** The project's roles and who holds them, read through the module's checks (a bad record is left out). */
const readRoles = (doc: Y.Doc): RolesState => ({
  roles: [...rolesOf(doc).keys()]
    .flatMap((id) => readRole(doc, id) ?? [])
    .sort((a, b) => a.name.localeCompare(b.name)),
  assignments: new Map([...assignmentsOf(doc).keys()].flatMap((userId) => {
    const held = readAssignment(doc, userId);
    return held ? [[userId, held] as const] : [];
  })),
});

/** A refusal or failure of an event, shaped like the API's so ErrorMessage shows it. */
interface EventFailure {
  message: string;
}

export function RolesTab() {
  const { org, project, canManage } = useProjectSettings();
  const gateway = useProjectGateway(org.id, project.id, readRoles);
  const people = useResource(
    () => Promise.all([listMembers(org.id), listProjectMembers(org.id, project.id)]).then(([o, p]) => peopleOfProject(o.members, new Set(p.members.map((m) => m.user.id)), project.visibility)),
    [org.id, project.id, project.visibility],
  );
  const [failure, setFailure] = useState<EventFailure | null>(null);
  const [editing, setEditing] = useState<RoleRecord | null>(null);
  const [busy, setBusy] = useState(false);
  // Role ids just ticked for a person, shown until the gateway answers (then the doc says).
  const [ticking, setTicking] = useState<{ userId: string; roleIds: string[] } | null>(null);

  /** Sends one event; true when the gateway accepted it, else its reason is shown. */
  const send = async (event: GatewayEvent): Promise<boolean> => {
    if (!gateway.provider) return false;
    setBusy(true);
    setFailure(null);
    const ack = await gateway.provider.sendEvent(event);
    setBusy(false);
    if (!ack.ok) setFailure({ message: ack.error.message });
    return ack.ok;
  };

  if (gateway.status === "denied") {
    return <PageMessage title="The project's gateway refused the connection" tone="error"><p>{gateway.deniedReason}</p></PageMessage>;
  }
  if (!gateway.data) {
    return <PageMessage busy title={gateway.status === "offline" ? "Offline: reconnecting to the project…" : "Connecting to the project…"} />;
  }
  const { roles, assignments } = gateway.data;
  return (
    <div className="columns">
      <div className="stack-lg">
        <section aria-labelledby="roles-title">
          <h2 id="roles-title" className="section-title">
            Custom roles<span className="count">{roles.length}</span>
          </h2>
          <p className="muted section-lead">
            A custom role is a set of permissions in this project, on top of the person's project role. On a project everyone in the organization sees, someone without a
            project role who holds custom roles gets only what those roles allow: a read-only viewer holds a role with no permissions.
          </p>
          {gateway.status === "offline" && (
            <p className="alert" role="status">
              Offline: reconnecting… Changes can be saved once the connection is back.
            </p>
          )}
          {failure && (
            <div className="alert error" role="alert">
              <p>{failure.message}</p>
            </div>
          )}
          {roles.length === 0 ? (
            <div className="empty">
              <h3>No custom roles yet</h3>
              <p>{canManage ? "Create one to give people exactly the permissions they need here." : "The project's admins can create them."}</p>
            </div>
          ) : (
            <ul className="rows" aria-label="Custom roles">
              {roles.map((role) => {
                const holders = [...assignments.values()].filter((held) => held.includes(role.id)).length;
                return (
                  <li key={role.id} className="row role-row">
                    <div className="row-main">
                      <span>
                        <span className="row-title">{role.name}</span>
                        <span className="row-meta">
                          {holders === 1 ? "1 person" : `${holders} people`} · {role.permissions.length === 0 ? "no permissions: can only look" : `${role.permissions.length} permission${role.permissions.length === 1 ? "" : "s"}`}
                        </span>
                        {role.permissions.length > 0 && (
                          <span className="chips" aria-label={`Permissions of ${role.name}`}>
                            {role.permissions.map((p) => (
                              <span key={p} className="chip" title={p}>
                                {permissionLabel(p)}
                              </span>
                            ))}
                          </span>
                        )}
                      </span>
                    </div>
                    {canManage && (
                      <div className="row-actions">
                        <button type="button" className="button small" aria-label={`Edit ${role.name}`} onClick={() => setEditing(role)}>
                          Edit
                        </button>
                        <ConfirmButton
                          label="Delete"
                          accessibleLabel={`Delete ${role.name}`}
                          question={holders > 0 ? `Delete “${role.name}”? Its holders lose it.` : `Delete “${role.name}”?`}
                          onConfirm={() => void send({ type: "roles:delete-role", roleId: role.id })}
                        />
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        {roles.length > 0 && (
          <section aria-labelledby="holders-title">
            <h2 id="holders-title" className="section-title">
              Who holds them
            </h2>
            {people.resource.status === "loading" && <PageMessage busy title="Loading people…" />}
            {people.resource.status === "error" && <ErrorMessage error={people.resource.error} />}
            {people.resource.status === "ready" && (
              <div className="table-scroll">
                <table className="table assignments">
                  <caption className="visually-hidden">Custom roles held by each person who can open the project</caption>
                  <thead>
                    <tr>
                      <th scope="col">Person</th>
                      {roles.map((role) => (
                        <th key={role.id} scope="col">
                          {role.name}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {people.resource.data.map((person) => {
                      const held = ticking?.userId === person.user.id ? ticking.roleIds : (assignments.get(person.user.id) ?? []);
                      return (
                        <tr key={person.user.id}>
                          <th scope="row">
                            <span className="row-title">{person.user.name}</span>
                            <span className="row-meta">{person.role === "member" ? person.user.email : `org ${person.role}: every permission already`}</span>
                          </th>
                          {roles.map((role) => (
                            <td key={role.id}>
                              <input
                                type="checkbox"
                                aria-label={`${role.name} for ${person.user.name}`}
                                checked={held.includes(role.id)}
                                disabled={!canManage || busy}
                                onChange={(e) => {
                                  const roleIds = e.target.checked ? [...held, role.id] : held.filter((id) => id !== role.id);
                                  setTicking({ userId: person.user.id, roleIds });
                                  void send({ type: "roles:assign", userId: person.user.id, roleIds }).then(() => setTicking(null));
                                }}
                              />
                            </td>
                          ))}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        )}
      </div>
      {canManage ? (
        <RoleForm
          key={editing?.id ?? "new"}
          role={editing}
          takenNames={roles.filter((r) => r.id !== editing?.id).map((r) => r.name)}
          onCancel={() => setEditing(null)}
          onSubmit={async (value) => {
            const ok = await send(editing ? { type: "roles:update-role", roleId: editing.id, ...value } : { type: "roles:create-role", ...value });
            if (ok) setEditing(null);
            return ok;
          }}
        />
      ) : (
        <aside className="card side">
          <h2>Custom roles</h2>
          <p className="hint">Only the project's admins and the organization's admins and owners create and assign them.</p>
        </aside>
      )}
    </div>
  );
}

/** Who can open the project: everyone in the org when it is open to the org, else its members and the org's admins and owners. */
function peopleOfProject(orgMembers: OrgMember[], projectMembers: ReadonlySet<string>, visibility: "org" | "members"): OrgMember[] {
  return orgMembers
    .filter((m) => visibility === "org" || projectMembers.has(m.user.id) || m.role !== "member")
    .sort((a, b) => a.user.name.localeCompare(b.user.name));
}
