/** `/api/orgs/{org}/audit-log`: the org's audit trail for its admins and owners, newest first, by cursor. */
import { z } from "@hono/zod-openapi";
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { auditLog, projects, users } from "../../../drizzle/schema";
import { requireAuth } from "../auth/middleware";
import { AuditPageSchema } from "../../../protocol/api/orgs";
import { ErrorSchema, createApp, defineRoute, jsonResponse } from "../lib/openapi";
import { requireOrgRole } from "../orgs/membership";
import { OrgParams } from "../orgs/schemas";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const listRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}/audit-log",
  operationId: "listAuditLog",
  access: "sessionOrApiKey",
  tags: ["audit log"],
  summary: "The organization's audit log (admins and owners)",
  request: {
    params: OrgParams,
    query: z.strictObject({
      before: z.coerce.number().int().positive().optional().openapi({ param: { name: "before", in: "query" }, description: "Entries older than this id: the previous page's `next`." }),
      limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ param: { name: "limit", in: "query" } }),
    }),
  },
  responses: {
    200: jsonResponse(AuditPageSchema, "Newest first."),
    404: jsonResponse(ErrorSchema, "No such organization, or you are not a member of it."),
  },
});

export const auditLogRoutes = createApp().openapi(listRoute, async (c) => {
  const auth = requireAuth(c, "orgs:read");
  const { org } = c.req.valid("param");
  const { before, limit } = c.req.valid("query");
  const db = c.var.db();
  await requireOrgRole(db, org, auth.user.id, "admin");
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.orgId, org), before === undefined ? undefined : lt(auditLog.id, before)))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const entries = page.map((r) => ({
    id: r.id,
    actorUserId: r.actorUserId,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    data: r.data,
    ip: r.ip,
    userAgent: r.userAgent,
    createdAt: r.createdAt.toISOString(),
  }));
  // Whom and what the entries name, so the page can say "changed Bob's role", not an id.
  const userIds = new Set<string>();
  const projectIds = new Set<string>();
  for (const r of page) {
    if (r.actorUserId) userIds.add(r.actorUserId);
    if (r.targetType === "user" && r.targetId && UUID.test(r.targetId)) userIds.add(r.targetId);
    if (r.targetType === "project" && r.targetId && UUID.test(r.targetId)) projectIds.add(r.targetId);
    const project = r.data?.project;
    if (typeof project === "string" && UUID.test(project)) projectIds.add(project);
  }
  const people = userIds.size === 0 ? [] : await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, [...userIds]));
  const named = projectIds.size === 0 ? [] : await db.select({ id: projects.id, name: projects.name }).from(projects).where(and(eq(projects.orgId, org), inArray(projects.id, [...projectIds])));
  return c.json(
    {
      entries,
      next: rows.length > limit ? page.at(-1)!.id : null,
      people: Object.fromEntries(people.map((p) => [p.id, { name: p.name, email: p.email }])),
      projects: Object.fromEntries(named.map((p) => [p.id, { name: p.name }])),
    },
    200,
  );
});
