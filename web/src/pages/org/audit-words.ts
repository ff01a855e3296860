/** An audit log entry in words: what was done, to whom and where, from the names the API sends with the page. */
import type { AuditEntry } from "../../api/types";

export interface AuditNames {
  people: Readonly<Record<string, { name: string; email: string }>>;
  projects: Readonly<Record<string, { name: string }>>;
}

/** What each action means when its entry carries nothing more to say. */
const ACTIONS: Record<string, string> = {
  "org.create": "created the organization",
  "org.delete": "deleted the organization",
  "org.member.leave": "left the organization",
  "org.invitation.accept": "accepted an invitation",
  "bridge.allocate": "pinned the organization to a VPN bridge",
  "containers.settings": "changed the container settings",
  "container.create": "created a container",
  "container.launch": "made a container's launch command",
};

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** A person by id: their name (or email) as they are now, or "a former account". */
export function personName(names: AuditNames, id: string | null): string {
  if (!id) return "someone";
  const person = names.people[id];
  return person ? person.name || person.email : "a deleted account";
}

/** The sentence after the actor's name, e.g. "changed Bob Noyce's role from member to admin". */
export function describeEntry(entry: AuditEntry, names: AuditNames): string {
  const data = entry.data ?? {};
  const target = entry.targetType === "user" ? personName(names, entry.targetId) : null;
  const projectId = text(data.project) ?? (entry.targetType === "project" ? entry.targetId : null);
  const project = (projectId && names.projects[projectId]?.name) ?? text(data.name) ?? "a deleted project";
  const from = text(data.from);
  const to = text(data.to);
  switch (entry.action) {
    case "org.rename":
      return `renamed the organization from “${text(data.from) ?? "?"}” to “${text(data.to) ?? "?"}”`;
    case "org.slug":
      return `changed the organization’s address from /orgs/${from ?? "?"} to /orgs/${to ?? "?"}`;
    case "org.member.role":
      return `changed ${target}’s role from ${from ?? "?"} to ${to ?? "?"}`;
    case "org.member.remove":
      return `removed ${target} from the organization${text(data.role) ? ` (${text(data.role)})` : ""}`;
    case "org.invitation.create":
      return `invited ${text(data.email) ?? "someone"} as ${text(data.role) ?? "member"}`;
    case "org.invitation.revoke":
      return data.reason === "email_failed" ? "withdrew an invitation whose email could not be sent" : `revoked the invitation of ${text(data.email) ?? "someone"}`;
    case "org.invitation.accept":
      return `joined the organization as ${text(data.role) ?? "member"}`;
    case "project.create":
      return `created the project ${project}`;
    case "project.delete":
      return `deleted the project ${text(data.name) ?? project}`;
    case "project.update": {
      const before = (data.from ?? {}) as { name?: unknown; visibility?: unknown };
      const after = (data.to ?? {}) as { name?: unknown; visibility?: unknown };
      const changes = [
        text(after.name) && `renamed the project ${text(before.name) ?? project} to ${text(after.name)}`,
        text(after.visibility) && `made ${text(after.name) ?? text(before.name) ?? project} ${after.visibility === "org" ? "open to the organization" : "members only"}`,
      ].filter(Boolean);
      return changes.length > 0 ? changes.join(", and ") : `changed the project ${project}`;
    }
    case "project.member.add":
      return `added ${target} to ${project} as ${to ?? "member"}`;
    case "project.member.role":
      return `changed ${target}’s role in ${project} from ${from ?? "?"} to ${to ?? "?"}`;
    case "project.member.remove":
      return `removed ${target} from ${project}`;
    case "project.member.leave":
      return `left ${project}`;
    default:
      return ACTIONS[entry.action] ?? entry.action;
  }
}
