/**
 * Built-in roles and how a member's permissions in a project are gathered from their org
 * role, their project role and the custom roles assigned to them in that project.
 */

import type { OrgRole, ProjectRole, ProjectVisibility } from "../membership";

/** The everyday actions of a project member; managing roles is left to admins. */
const MEMBER_ACTIONS = ["read", "create", "update", "delete", "edit", "move", "send", "open", "run"];

export const builtInRoles: Record<`org:${OrgRole}` | `project:${ProjectRole}`, readonly string[]> = {
  "org:owner": ["*:*"],
  "org:admin": ["*:*"],
  "org:member": [],
  "project:admin": ["*:*"],
  "project:member": MEMBER_ACTIONS.map((action) => `*:${action}`),
};

export interface Member {
  userId: string;
  orgRole: OrgRole;
  /** The explicit project role, or null. */
  projectRole: ProjectRole | null;
  /** Permission strings of the custom roles assigned to the member in this project. */
  customGrants: readonly string[];
  /** True when any custom role is assigned (even one granting nothing). */
  hasCustomRoles: boolean;
}

/**
 * All the permission strings a member holds in a project. An org member who sees an
 * `org`-visible project without a project role acts as a project member, unless custom
 * roles are assigned to them there: then those roles alone apply (a "viewer" role, say).
 */
export function grantsFor(member: Member, projectVisibility: ProjectVisibility): string[] {
  const grants = [...builtInRoles[`org:${member.orgRole}`], ...member.customGrants];
  if (member.projectRole) grants.push(...builtInRoles[`project:${member.projectRole}`]);
  else if (projectVisibility === "org" && !member.hasCustomRoles) grants.push(...builtInRoles["project:member"]);
  return grants;
}
