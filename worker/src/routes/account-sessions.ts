/** `/api/account/sessions`: where the account is signed in, and signing those places out. */
import { z } from "@hono/zod-openapi";
import { and, desc, eq, gt, ne } from "drizzle-orm";
import { sessions } from "../../../drizzle/schema";
import { requireSession } from "../auth/middleware";
import { clearSessionCookie } from "../auth/sessions";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { SessionListSchema, SessionsRevokedSchema } from "../../../protocol/api/account";
import { ErrorSchema, createApp, defineRoute, jsonResponse } from "../lib/openapi";


const listRoute = defineRoute({
  method: "get",
  path: "/sessions",
  operationId: "listSessions",
  access: "session",
  tags: ["account"],
  summary: "The account's active sessions, most recently used first",
  responses: { 200: jsonResponse(SessionListSchema, "The sessions.") },
});

const revokeRoute = defineRoute({
  method: "delete",
  path: "/sessions/{id}",
  operationId: "revokeSession",
  access: "session",
  tags: ["account"],
  summary: "Sign out one session (the current one included)",
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
  responses: { 204: { description: "Signed out." }, 404: jsonResponse(ErrorSchema, "No such session of yours.") },
});

const revokeOthersRoute = defineRoute({
  method: "post",
  path: "/sessions/revoke-others",
  operationId: "revokeOtherSessions",
  access: "session",
  tags: ["account"],
  summary: "Sign out every session but this one",
  responses: { 200: jsonResponse(SessionsRevokedSchema, "How many were signed out.") },
});

export const accountSessions = createApp()
  .openapi(listRoute, async (c) => {
    const { user, session: current } = requireSession(c);
    const rows = await c.var
      .db()
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, user.id), gt(sessions.expiresAt, new Date())))
      .orderBy(desc(sessions.lastSeenAt));
    const list = rows.map((s) => ({
      id: s.id,
      method: s.method,
      ip: s.ip,
      userAgent: s.userAgent,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.id === current.id,
    }));
    return c.json({ sessions: list }, 200);
  })
  .openapi(revokeRoute, async (c) => {
    const { user, session: current } = requireSession(c);
    const { id } = c.req.valid("param");
    const revoked = await c.var.db().transaction(async (tx) => {
      // Scoped to the caller: another user's session id answers 404, as an unknown one does.
      const [row] = await tx.delete(sessions).where(and(eq(sessions.id, id), eq(sessions.userId, user.id))).returning({ id: sessions.id });
      if (row) await audit(c, tx, { action: "session.revoke", targetType: "session", targetId: id });
      return row;
    });
    if (!revoked) throw new ApiError(404, "not_found", "No such session.");
    if (id === current.id) clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(revokeOthersRoute, async (c) => {
    const { user, session: current } = requireSession(c);
    const revoked = await c.var.db().transaction(async (tx) => {
      const rows = await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, current.id))).returning({ id: sessions.id });
      await audit(c, tx, { action: "session.revoke_others", targetType: "user", targetId: user.id, data: { count: rows.length } });
      return rows.length;
    });
    return c.json({ revoked }, 200);
  });
