/** `/api/orgs/{org}/audit-log`: the org's audit trail for its admins and owners, newest first, by cursor. */
import { z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { auditLog } from "../../../drizzle/schema";
import { requireAuth } from "../auth/middleware";
import { AuditPageSchema } from "../../../protocol/api/orgs";
import { ErrorSchema, createApp, defineRoute, jsonResponse } from "../lib/openapi";
import { requireOrgRole } from "../orgs/membership";
import { OrgParams } from "../orgs/schemas";


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
  return c.json({ entries, next: rows.length > limit ? page.at(-1)!.id : null }, 200);
});
