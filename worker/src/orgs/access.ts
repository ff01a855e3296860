/**
 * Who may do what in an organization: pure rules on roles, unit-tested in
 * worker/test/access.test.ts. The loaders in membership.ts feed them from Postgres.
 */
import { canSeeProject } from "../../../gateway-do/src/membership";
import type { OrgRole, ProjectRole } from "../../../protocol/enums";

export type { OrgRole, ProjectRole };

/** A refusal a handler turns into an ApiError. */
export interface Refusal {
  status: 403 | 409;
  code: string;
  message: string;
}

const RANK: Record<OrgRole, number> = { member: 0, admin: 1, owner: 2 };

/** True when `role` is `min` or above (member < admin < owner). */
export function atLeast(role: OrgRole, min: OrgRole): boolean {
  return RANK[role] >= RANK[min];
}

// The gateway applies the same rule to its own copy of the membership.
export { canSeeProject };

/** Renaming, changing visibility, deleting and managing members of a project: its admins and the org's admins and owners. */
export function canManageProject(orgRole: OrgRole, projectRole: ProjectRole | null): boolean {
  return atLeast(orgRole, "admin") || projectRole === "admin";
}

const needAdmin: Refusal = { status: 403, code: "forbidden", message: "Only the organization's admins and owners may do this." };
const needOwner: Refusal = { status: 403, code: "owner_required", message: "Only an owner may grant or take away the owner role." };
const lastOwner = (what: string): Refusal => ({
  status: 409,
  code: "last_owner",
  message: `The organization's last owner cannot ${what}: make another member owner first, or delete the organization.`,
});

/** Whether `role` may change the org itself, its name or its address (`what`, e.g. "rename it"): its admins and owners. */
export function checkOrgChange(role: OrgRole, what: string): Refusal | null {
  return atLeast(role, "admin") ? null : { status: 403, code: "forbidden", message: `Only the organization's admins and owners may ${what}.` };
}

/** Whether `actorRole` may change a member from `targetRole` to `newRole`, given how many owners the org has. */
export function checkRoleChange(input: { actorRole: OrgRole; targetRole: OrgRole; newRole: OrgRole; ownerCount: number }): Refusal | null {
  if (!atLeast(input.actorRole, "admin")) return needAdmin;
  if ((input.targetRole === "owner" || input.newRole === "owner") && input.actorRole !== "owner") return needOwner;
  if (input.targetRole === "owner" && input.newRole !== "owner" && input.ownerCount <= 1) return lastOwner("be demoted");
  return null;
}

/** Whether `actorRole` may remove a member (or themself, to leave). */
export function checkRemoval(input: { actorRole: OrgRole; targetRole: OrgRole; isSelf: boolean; ownerCount: number }): Refusal | null {
  if (!input.isSelf) {
    if (!atLeast(input.actorRole, "admin")) return needAdmin;
    if (input.targetRole === "owner" && input.actorRole !== "owner") return needOwner;
  }
  if (input.targetRole === "owner" && input.ownerCount <= 1) return lastOwner(input.isSelf ? "leave" : "be removed");
  return null;
}

/** Whether `actorRole` may invite someone as `role`: admins invite, only owners invite owners. */
export function checkInvitation(actorRole: OrgRole, role: OrgRole): Refusal | null {
  if (!atLeast(actorRole, "admin")) return needAdmin;
  if (role === "owner" && actorRole !== "owner") return needOwner;
  return null;
}
