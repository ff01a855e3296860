/** `/api/orgs/{org}/projects/{project}/members`: who is in a project, with which role. */
import { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { organizationsMembers, projectsMembers, users } from "../../../drizzle/schema";
import { requireAuth } from "../auth/middleware";
import { pushMembership } from "../gateway/membership-push";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { canManageProject } from "../orgs/access";
import { requireManagedProject, requireVisibleProject } from "../orgs/membership";
import { ProjectMemberSchema, ProjectParams, ProjectRoleSchema, ProjectUserParams, userSummary } from "../orgs/schemas";

const notFound = { 404: jsonResponse(ErrorSchema, "No such organization, project or member, or you may not see it.") };

const listRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}/projects/{project}/members",
  operationId: "listProjectMembers",
  access: "sessionOrApiKey",
  tags: ["project members"],
  summary: "The project's members",
  request: { params: ProjectParams },
  responses: { 200: jsonResponse(z.object({ members: z.array(ProjectMemberSchema) }).openapi("ProjectMemberList"), "Members, by name."), ...notFound },
});

const putRoute = defineRoute({
  method: "put",
  path: "/orgs/{org}/projects/{project}/members/{user}",
  operationId: "setProjectMember",
  access: "sessionOrApiKey",
  tags: ["project members"],
  summary: "Add an org member to the project, or change their role (project admins, org admins and owners)",
  request: { params: ProjectUserParams, body: jsonBody(z.strictObject({ role: ProjectRoleSchema }).openapi("ProjectMembership")) },
  responses: { 200: jsonResponse(ProjectMemberSchema, "The membership."), ...notFound },
});

const removeRoute = defineRoute({
  method: "delete",
  path: "/orgs/{org}/projects/{project}/members/{user}",
  operationId: "removeProjectMember",
  access: "sessionOrApiKey",
  tags: ["project members"],
  summary: "Remove someone from the project (managers), or leave it (your own id)",
  request: { params: ProjectUserParams },
  responses: { 204: { description: "Removed." }, ...notFound },
});

export const projectMembers = createApp()
  .openapi(listRoute, async (c) => {
    const auth = requireAuth(c, "projects:read");
    const { org, project } = c.req.valid("param");
    const db = c.var.db();
    await requireVisibleProject(db, org, project, auth.user.id);
    const rows = await db
      .select({ user: users, role: projectsMembers.role, addedAt: projectsMembers.createdAt })
      .from(projectsMembers)
      .innerJoin(users, eq(users.id, projectsMembers.userId))
      .where(eq(projectsMembers.projectId, project))
      .orderBy(asc(users.name), asc(users.id));
    return c.json({ members: rows.map((r) => ({ user: userSummary(r.user), role: r.role, addedAt: r.addedAt.toISOString() })) }, 200);
  })
  .openapi(putRoute, async (c) => {
    const auth = requireAuth(c, "projects:write");
    const { org, project, user } = c.req.valid("param");
    const { role } = c.req.valid("json");
    const member = await c.var.db().transaction(async (tx) => {
      await requireManagedProject(tx, org, project, auth.user.id);
      const [target] = await tx
        .select({ user: users })
        .from(organizationsMembers)
        .innerJoin(users, eq(users.id, organizationsMembers.userId))
        .where(and(eq(organizationsMembers.orgId, org), eq(organizationsMembers.userId, user)));
      if (!target) throw new ApiError(404, "member_not_found", "Only members of the organization can join its projects: invite them first.");
      const [before] = await tx.select({ role: projectsMembers.role }).from(projectsMembers).where(and(eq(projectsMembers.projectId, project), eq(projectsMembers.userId, user)));
      const [row] = await tx
        .insert(projectsMembers)
        .values({ projectId: project, userId: user, role })
        .onConflictDoUpdate({ target: [projectsMembers.projectId, projectsMembers.userId], set: { role } })
        .returning();
      if (before?.role !== role) {
        await audit(c, tx, { orgId: org, action: before ? "project.member.role" : "project.member.add", targetType: "user", targetId: user, data: { project, from: before?.role ?? null, to: role } });
      }
      return { user: userSummary(target.user), role: row!.role, addedAt: row!.createdAt.toISOString() };
    });
    await pushMembership(c, org);
    return c.json(member, 200);
  })
  .openapi(removeRoute, async (c) => {
    const auth = requireAuth(c, "projects:write");
    const { org, project, user } = c.req.valid("param");
    const isSelf = user === auth.user.id;
    await c.var.db().transaction(async (tx) => {
      const place = await requireVisibleProject(tx, org, project, auth.user.id);
      if (!isSelf && !canManageProject(place.orgRole, place.projectRole)) {
        throw new ApiError(403, "forbidden", "Only the project's admins and the organization's admins and owners may do this.");
      }
      const [removed] = await tx.delete(projectsMembers).where(and(eq(projectsMembers.projectId, project), eq(projectsMembers.userId, user))).returning();
      if (!removed) throw new ApiError(404, "member_not_found", "This user is not a member of the project.");
      await audit(c, tx, { orgId: org, action: isSelf ? "project.member.leave" : "project.member.remove", targetType: "user", targetId: user, data: { project, role: removed.role } });
    });
    await pushMembership(c, org);
    return c.body(null, 204);
  });
