/**
 * Loading the caller's place in an org or project from Postgres, refusing early. An org or
 * project the caller may not see answers 404, the same as one that does not exist, so ids
 * reveal nothing; a visible one the caller may not change answers 403.
 */
import { and, count, eq } from "drizzle-orm";
import type { Executor } from "../../../drizzle/client";
import { organizations, organizationsMembers, projects, projectsMembers } from "../../../drizzle/schema";
import { ApiError } from "../lib/errors";
import { type OrgRole, type ProjectRole, type Refusal, atLeast, canManageProject, canSeeProject } from "./access";

export type Org = typeof organizations.$inferSelect;
export type Project = typeof projects.$inferSelect;

/** Throws the refusal as an ApiError, if there is one. */
export function refuse(refusal: Refusal | null): void {
  if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message);
}

export const orgNotFound = () => new ApiError(404, "org_not_found", "No such organization, or you are not a member of it.");
export const projectNotFound = () => new ApiError(404, "project_not_found", "No such project in this organization, or you may not see it.");

/** The org and the caller's role in it; 404 if it does not exist or the caller is not a member. */
export async function requireOrgMember(db: Executor, orgId: string, userId: string): Promise<{ org: Org; role: OrgRole }> {
  const [row] = await db
    .select({ org: organizations, role: organizationsMembers.role })
    .from(organizationsMembers)
    .innerJoin(organizations, eq(organizations.id, organizationsMembers.orgId))
    .where(and(eq(organizationsMembers.orgId, orgId), eq(organizationsMembers.userId, userId)));
  if (!row) throw orgNotFound();
  return row;
}

/** As requireOrgMember, and 403 unless the caller's role is at least `min`. */
export async function requireOrgRole(db: Executor, orgId: string, userId: string, min: OrgRole): Promise<{ org: Org; role: OrgRole }> {
  const member = await requireOrgMember(db, orgId, userId);
  if (!atLeast(member.role, min)) {
    throw new ApiError(403, min === "owner" ? "owner_required" : "forbidden", min === "owner" ? "Only an owner may do this." : "Only the organization's admins and owners may do this.");
  }
  return member;
}

/**
 * Locks the org's row until the transaction ends, so membership changes of one org run one
 * at a time (two owners cannot demote each other at once and leave none). Re-checks the
 * caller's membership under the lock.
 */
export async function lockOrgMember(tx: Executor, orgId: string, userId: string): Promise<{ org: Org; role: OrgRole; ownerCount: number }> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).for("update");
  if (!org) throw orgNotFound();
  const { role } = await requireOrgMember(tx, orgId, userId);
  const [owners] = await tx.select({ n: count() }).from(organizationsMembers).where(and(eq(organizationsMembers.orgId, orgId), eq(organizationsMembers.role, "owner")));
  return { org, role, ownerCount: owners?.n ?? 0 };
}

export interface ProjectPlace {
  org: Org;
  orgRole: OrgRole;
  project: Project;
  projectRole: ProjectRole | null;
}

/** The project and the caller's roles; 404 unless the caller is an org member who may see it. */
export async function requireVisibleProject(db: Executor, orgId: string, projectId: string, userId: string): Promise<ProjectPlace> {
  const { org, role: orgRole } = await requireOrgMember(db, orgId, userId);
  const [row] = await db
    .select({ project: projects, projectRole: projectsMembers.role })
    .from(projects)
    .leftJoin(projectsMembers, and(eq(projectsMembers.projectId, projects.id), eq(projectsMembers.userId, userId)))
    .where(and(eq(projects.id, projectId), eq(projects.orgId, orgId)));
  if (!row || !canSeeProject(orgRole, row.project.visibility, row.projectRole)) throw projectNotFound();
  return { org, orgRole, project: row.project, projectRole: row.projectRole };
}

/** As requireVisibleProject, and 403 unless the caller may manage the project. */
export async function requireManagedProject(db: Executor, orgId: string, projectId: string, userId: string): Promise<ProjectPlace> {
  const place = await requireVisibleProject(db, orgId, projectId, userId);
  if (!canManageProject(place.orgRole, place.projectRole)) {
    throw new ApiError(403, "forbidden", "Only the project's admins and the organization's admins and owners may do this.");
  }
  return place;
}

/** True for Postgres' unique-violation error, however deep drizzle wraps it (`cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
