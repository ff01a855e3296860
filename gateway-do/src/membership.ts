/**
 * The organization's membership as the worker pushes it: who belongs, with which role, and
 * which projects each may see. Pure rules only; storage is in membership-store.ts.
 */
import type { OrgRole, ProjectRole, ProjectVisibility } from "../../protocol/enums";
import { type MembershipSnapshot, MembershipSnapshotSchema } from "../../protocol/membership";

export type { OrgRole, ProjectRole, ProjectVisibility };
export { type MembershipSnapshot, MembershipSnapshotSchema };

/** An empty snapshot: nobody may connect (a deleted or never-synced organization). */
export function emptySnapshot(org: string, version = 0): MembershipSnapshot {
  return { org, version, members: [], projects: [] };
}

/** The one rule for seeing a project: org admins and owners see all; "org" projects are for every member; "members" projects for their members. */
export function canSeeProject(orgRole: OrgRole, visibility: ProjectVisibility, projectRole: ProjectRole | null): boolean {
  return orgRole === "owner" || orgRole === "admin" || visibility === "org" || projectRole !== null;
}

export type ProjectAccess =
  | { ok: true; roles: { org: OrgRole; project: ProjectRole | null } }
  | { ok: false; reason: "not_a_member" | "no_project_access" };

/** Whether `userId` may open `projectId` according to the snapshot, and with which roles. */
export function projectAccess(snapshot: MembershipSnapshot, userId: string, projectId: string): ProjectAccess {
  const member = snapshot.members.find((m) => m.userId === userId);
  if (!member) return { ok: false, reason: "not_a_member" };
  const project = snapshot.projects.find((p) => p.id === projectId);
  if (!project) return { ok: false, reason: "no_project_access" };
  const projectRole = project.members.find((m) => m.userId === userId)?.role ?? null;
  if (!canSeeProject(member.role, project.visibility, projectRole)) return { ok: false, reason: "no_project_access" };
  return { ok: true, roles: { org: member.role, project: projectRole } };
}

/** The close reason a refused or revoked connection gets, for a person to read. */
export function accessDeniedReason(reason: "not_a_member" | "no_project_access", revoked: boolean): string {
  if (reason === "not_a_member") return revoked ? "removed from the organization" : "not a member of this organization";
  return revoked ? "removed from the project" : "no access to this project";
}
