/**
 * The organization's membership as the worker pushes it: who belongs, with which role, and
 * which projects each may see. Pure rules only; storage is in membership-store.ts.
 */
import { z } from "zod";
import { type OrgRole, OrgRoleSchema, type ProjectRole, ProjectRoleSchema, type ProjectVisibility, ProjectVisibilitySchema } from "../../protocol/enums";

export type { OrgRole, ProjectRole, ProjectVisibility };

/** The full membership of one organization; every push replaces the previous one. */
export const MembershipSnapshotSchema = z.strictObject({
  org: z.uuid(),
  /** When the worker read it (µs since the epoch, Postgres clock): an older snapshot never replaces a newer one. */
  version: z.number().int().nonnegative(),
  members: z.array(z.strictObject({ userId: z.uuid(), role: OrgRoleSchema })),
  projects: z.array(
    z.strictObject({
      id: z.uuid(),
      visibility: ProjectVisibilitySchema,
      members: z.array(z.strictObject({ userId: z.uuid(), role: ProjectRoleSchema })),
    }),
  ),
});

export type MembershipSnapshot = z.infer<typeof MembershipSnapshotSchema>;

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
