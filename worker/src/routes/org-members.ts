/** `/api/orgs/{org}/members`: list members, change roles, remove a member or leave. */
import { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "drizzle-orm";
import { organizationsMembers, projects, projectsMembers, users } from "../../../drizzle/schema";
import { requireAuth } from "../auth/middleware";
import { pushMembership } from "../gateway/membership-push";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { checkRemoval, checkRoleChange } from "../orgs/access";
import { lockOrgMember, refuse, requireOrgMember } from "../orgs/membership";
import { OrgMemberSchema, OrgParams, OrgRoleSchema, OrgUserParams, userSummary } from "../orgs/schemas";

const notFound = { 404: jsonResponse(ErrorSchema, "No such organization or member, or you are not a member of it.") };
const lastOwner = { 409: jsonResponse(ErrorSchema, "The organization's last owner cannot leave, be removed or be demoted.") };

const listRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}/members",
  operationId: "listOrgMembers",
  access: "sessionOrApiKey",
  tags: ["org members"],
  summary: "The organization's members and their roles",
  request: { params: OrgParams },
  responses: { 200: jsonResponse(z.object({ members: z.array(OrgMemberSchema) }).openapi("OrgMemberList"), "Members, by name."), ...notFound },
});

const changeRoleRoute = defineRoute({
  method: "patch",
  path: "/orgs/{org}/members/{user}",
  operationId: "changeOrgMemberRole",
  access: "sessionOrApiKey",
  tags: ["org members"],
  summary: "Change a member's role (admins and owners; only owners grant or take away owner)",
  request: { params: OrgUserParams, body: jsonBody(z.strictObject({ role: OrgRoleSchema }).openapi("OrgRoleChange")) },
  responses: { 200: jsonResponse(OrgMemberSchema, "The member with the new role."), ...notFound, ...lastOwner },
});

const removeRoute = defineRoute({
  method: "delete",
  path: "/orgs/{org}/members/{user}",
  operationId: "removeOrgMember",
  access: "sessionOrApiKey",
  tags: ["org members"],
  summary: "Remove a member (admins and owners), or leave (your own id)",
  description: "Also removes them from the org's projects; their gateway connections close at once.",
  request: { params: OrgUserParams },
  responses: { 204: { description: "Removed." }, ...notFound, ...lastOwner },
});

const memberNotFound = () => new ApiError(404, "member_not_found", "This user is not a member of the organization.");

async function findMember(db: Parameters<typeof requireOrgMember>[0], orgId: string, userId: string) {
  const [row] = await db
    .select({ user: users, role: organizationsMembers.role, joinedAt: organizationsMembers.createdAt })
    .from(organizationsMembers)
    .innerJoin(users, eq(users.id, organizationsMembers.userId))
    .where(and(eq(organizationsMembers.orgId, orgId), eq(organizationsMembers.userId, userId)));
  if (!row) throw memberNotFound();
  return row;
}

export const orgMembers = createApp()
  .openapi(listRoute, async (c) => {
    const auth = requireAuth(c, "orgs:read");
    const { org } = c.req.valid("param");
    const db = c.var.db();
    await requireOrgMember(db, org, auth.user.id);
    const rows = await db
      .select({ user: users, role: organizationsMembers.role, joinedAt: organizationsMembers.createdAt })
      .from(organizationsMembers)
      .innerJoin(users, eq(users.id, organizationsMembers.userId))
      .where(eq(organizationsMembers.orgId, org))
      .orderBy(asc(users.name), asc(users.id));
    return c.json({ members: rows.map((r) => ({ user: userSummary(r.user), role: r.role, joinedAt: r.joinedAt.toISOString() })) }, 200);
  })
  .openapi(changeRoleRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    const { org, user } = c.req.valid("param");
    const { role } = c.req.valid("json");
    const member = await c.var.db().transaction(async (tx) => {
      const actor = await lockOrgMember(tx, org, auth.user.id);
      const target = await findMember(tx, org, user);
      refuse(checkRoleChange({ actorRole: actor.role, targetRole: target.role, newRole: role, ownerCount: actor.ownerCount }));
      if (target.role !== role) {
        await tx.update(organizationsMembers).set({ role }).where(and(eq(organizationsMembers.orgId, org), eq(organizationsMembers.userId, user)));
        await audit(c, tx, { orgId: org, action: "org.member.role", targetType: "user", targetId: user, data: { from: target.role, to: role } });
      }
      return { user: userSummary(target.user), role, joinedAt: target.joinedAt.toISOString() };
    });
    await pushMembership(c, org);
    return c.json(member, 200);
  })
  .openapi(removeRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    const { org, user } = c.req.valid("param");
    const isSelf = user === auth.user.id;
    await c.var.db().transaction(async (tx) => {
      const actor = await lockOrgMember(tx, org, auth.user.id);
      const target = await findMember(tx, org, user);
      refuse(checkRemoval({ actorRole: actor.role, targetRole: target.role, isSelf, ownerCount: actor.ownerCount }));
      const orgProjects = tx.select({ id: projects.id }).from(projects).where(eq(projects.orgId, org));
      await tx.delete(projectsMembers).where(and(eq(projectsMembers.userId, user), inArray(projectsMembers.projectId, orgProjects)));
      await tx.delete(organizationsMembers).where(and(eq(organizationsMembers.orgId, org), eq(organizationsMembers.userId, user)));
      await audit(c, tx, { orgId: org, action: isSelf ? "org.member.leave" : "org.member.remove", targetType: "user", targetId: user, data: { role: target.role } });
    });
    await pushMembership(c, org);
    return c.body(null, 204);
  });
