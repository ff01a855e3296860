import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { changeMemberRole, inviteMember, listInvitations, listMembers, removeMember, revokeInvitation } from "../../api/orgs";
import type { Invitation, OrgMember, OrgRole } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { RoleHelp } from "../../components/RoleHelp";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { formatDate, formatRelative } from "../../components/format";
import { PageMessage } from "../../components/PageMessage";
import { PersonSummary } from "../../components/PersonSummary";
import { useAction } from "../../components/use-action";
import { useResource } from "../../components/use-resource";
import { useMe, useSession } from "../../session/session";
import { orgPath } from "../org-path";
import { useOrg } from "./OrgLayout";

const ROLES: OrgRole[] = ["member", "admin", "owner"];
const ROLE_HELP: Record<OrgRole, string> = {
  member: "sees the organization's projects and creates their own",
  admin: "also manages members, invitations and every project",
  owner: "also manages owners and may delete the organization",
};

/** The org's members (roles, removal) and, for admins, invitations. */
export function MembersTab() {
  const { org, isAdmin } = useOrg();
  const me = useMe();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const members = useResource(() => listMembers(org.id).then((r) => r.members), [org.id]);
  // Only admins may list invitations; for members there are none to show.
  const invitations = useResource(() => (isAdmin ? listInvitations(org.id).then((r) => r.invitations) : Promise.resolve([])), [org.id, isAdmin]);
  const action = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const roles = org.role === "owner" ? ROLES : ROLES.filter((r) => r !== "owner");

  const changeRole = (member: OrgMember, role: OrgRole) => {
    setSaved(null);
    void action.run(async () => {
      const updated = await changeMemberRole(org.id, member.user.id, role);
      members.set((list) => list.map((m) => (m.user.id === member.user.id ? updated : m)));
      setSaved(`Saved: ${member.user.name || member.user.email} is ${updated.role === "admin" || updated.role === "owner" ? `an ${updated.role}` : "a member"} now.`);
    });
  };
  const remove = (member: OrgMember) =>
    void action.run(async () => {
      setSaved(null);
      await removeMember(org.id, member.user.id);
      if (member.user.id === me.user.id) {
        await refresh();
        navigate("/", { replace: true });
        return;
      }
      members.set((list) => list.filter((m) => m.user.id !== member.user.id));
    });

  const { resource } = members;
  return (
    <div className="columns">
      <section aria-labelledby="members-title" aria-busy={resource.status === "loading"}>
        <h2 id="members-title" className="section-title">
          Members{resource.status === "ready" && <span className="count">{resource.data.length}</span>}
        </h2>
        <ErrorMessage error={action.error} />
        {saved && !action.error && (
          <p className="alert ok" role="status">
            {saved}
          </p>
        )}
        {resource.status === "loading" && <PageMessage busy title="Loading members…" />}
        {resource.status === "error" && <ErrorMessage error={resource.error} />}
        {resource.status === "ready" && (
          <ul className="rows" aria-label="Members">
            {resource.data.map((member) => {
              const self = member.user.id === me.user.id;
              // The last owner cannot leave (the API refuses it too): say what to do instead of offering it.
              const soleOwner = member.role === "owner" && resource.data.filter((m) => m.role === "owner").length === 1;
              const canEdit = isAdmin && !self && (org.role === "owner" || member.role !== "owner");
              return (
                <li key={member.user.id} className="row">
                  <PersonSummary user={member.user} self={self} detail={`joined ${formatDate(member.joinedAt)}`} />
                  <div className="row-actions">
                    {canEdit ? (
                      <select
                        aria-label={`Role of ${member.user.name}`}
                        value={member.role}
                        disabled={action.pending}
                        onChange={(e) => changeRole(member, e.target.value as OrgRole)}
                      >
                        {roles.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className={`badge role-${member.role}`}>{member.role}</span>
                    )}
                    {canEdit && (
                      <ConfirmButton label="Remove" accessibleLabel={`Remove ${member.user.name}`} question={`Remove ${member.user.name} from ${org.name}?`} onConfirm={() => remove(member)} />
                    )}
                    {self && !soleOwner && <ConfirmButton label="Leave" question={`Leave ${org.name}?`} onConfirm={() => remove(member)} />}
                    {self && soleOwner && (
                      <span className="hint sole-owner" title="Make another member owner first, or delete the organization in Settings.">
                        Only owner: cannot leave
                      </span>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {isAdmin && <Invitations orgId={org.id} invitations={invitations} />}
      </section>
      {isAdmin ? (
        <InviteForm orgId={org.id} roles={roles} onInvited={(invitation) => invitations.set((list) => [...list.filter((i) => i.email !== invitation.email), invitation])} />
      ) : (
        <aside className="card side">
          <h2>Roles</h2>
          <RoleHelp roles={ROLES} help={ROLE_HELP} />
          <CustomRolesHint path={orgPath(org)} />
          <p className="hint">Ask an admin to invite someone.</p>
        </aside>
      )}
    </div>
  );
}

function InviteForm({ orgId, roles, onInvited }: { orgId: string; roles: OrgRole[]; onInvited: (invitation: Invitation) => void }) {
  const { org } = useOrg();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<OrgRole>("member");
  const [sent, setSent] = useState<string | null>(null);
  const { run, pending, error } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(null);
    const outcome = await run(() => inviteMember(orgId, { email, role }));
    if (!outcome.ok) return;
    setSent(outcome.value.email);
    setEmail("");
    onInvited(outcome.value);
  };
  return (
    <section className="card side" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field label="Email" type="email" name="invite-email" required placeholder="ada@example.com" value={email} onChange={(e) => setEmail(e.target.value)} error={error?.field("email")} />
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as OrgRole)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <p className="hint">A {role} {ROLE_HELP[role]}.</p>
        </div>
        {!error?.field("email") && <ErrorMessage error={error} />}
        {sent && (
          <p className="alert ok" role="status">
            Invitation sent to <strong>{sent}</strong>. The link works for 7 days.
          </p>
        )}
        <button type="submit" className="button primary" disabled={pending || !email.trim()}>
          {pending ? "Sending…" : "Send invitation"}
        </button>
      </form>
      <CustomRolesHint path={orgPath(org)} />
    </section>
  );
}

/** Custom roles live in each project (its gateway doc): where to find them. */
function CustomRolesHint({ path }: { path: string }) {
  return (
    <p className="hint">
      Finer roles — custom roles made of chosen permissions — are set per project: <Link to={path}>Projects</Link> → Members and roles.
    </p>
  );
}

function Invitations({ orgId, invitations }: { orgId: string; invitations: ReturnType<typeof useResource<Invitation[]>> }) {
  const { resource, set } = invitations;
  const action = useAction();
  const revoke = (invitation: Invitation) =>
    void action.run(async () => {
      await revokeInvitation(orgId, invitation.id);
      set((list) => list.filter((i) => i.id !== invitation.id));
    });
  return (
    <section aria-labelledby="invitations-title" className="subsection">
      <h2 id="invitations-title" className="section-title">
        Pending invitations{resource.status === "ready" && <span className="count">{resource.data.length}</span>}
      </h2>
      <ErrorMessage error={action.error} />
      {resource.status === "error" && <ErrorMessage error={resource.error} />}
      {resource.status === "ready" &&
        (resource.data.length === 0 ? (
          <p className="muted">No pending invitations.</p>
        ) : (
          <ul className="rows" aria-label="Pending invitations">
            {resource.data.map((invitation) => (
              <li key={invitation.id} className="row">
                <div className="row-main">
                  <span>
                    <span className="row-title">{invitation.email}</span>
                    <span className="row-meta">
                      as {invitation.role} · expires {formatRelative(invitation.expiresAt)}
                    </span>
                  </span>
                </div>
                <div className="row-actions">
                  <ConfirmButton label="Revoke" accessibleLabel={`Revoke the invitation of ${invitation.email}`} question={`Revoke the invitation of ${invitation.email}?`} onConfirm={() => revoke(invitation)} />
                </div>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
