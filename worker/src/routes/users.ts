/**
 * `/api/users/search`: find people to add. Only people who share an organization with the
 * caller match by part of their name or email; anyone else only by their exact email.
 */
import { z } from "@hono/zod-openapi";
import { and, asc, eq, exists, ilike, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { organizationsMembers, users } from "../../../drizzle/schema";
import { requireAuth } from "../auth/middleware";
import { ErrorSchema, createApp, defineRoute, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";
import { StorableTextSchema } from "../lib/storable-text";
import { UserSummarySchema, userSummary } from "../orgs/schemas";

export const SEARCH_LIMIT = 20;

const searchRoute = defineRoute({
  method: "get",
  path: "/users/search",
  operationId: "searchUsers",
  access: "sessionOrApiKey",
  tags: ["users"],
  summary: "Find people: co-members by part of their name or email, anyone by exact email",
  request: {
    query: z.object({ q: StorableTextSchema.trim().min(1).max(254).openapi({ param: { name: "q", in: "query" }, example: "ada" }) }),
  },
  responses: {
    200: jsonResponse(z.object({ users: z.array(UserSummarySchema) }).openapi("UserSearch"), `At most ${SEARCH_LIMIT}, by name.`),
    429: jsonResponse(ErrorSchema, "Too many searches for now (see Retry-After)."),
  },
});

/** Escapes LIKE's wildcards, so `%` and `_` in a query match themselves. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export const userRoutes = createApp().openapi(searchRoute, async (c) => {
  const auth = requireAuth(c, "orgs:read");
  const { q } = c.req.valid("query");
  const db = c.var.db();
  // Exact-email lookups can probe for accounts: keep them slow enough not to scan the user base.
  await enforceRateLimits(db, [{ key: `user-search:user:${auth.user.id}`, limit: 120, windowSeconds: 600 }]);
  const mine = alias(organizationsMembers, "mine");
  const theirs = alias(organizationsMembers, "theirs");
  const sharesAnOrg = exists(
    db.select({ one: mine.userId }).from(mine).innerJoin(theirs, eq(theirs.orgId, mine.orgId)).where(and(eq(mine.userId, auth.user.id), eq(theirs.userId, users.id))),
  );
  const pattern = likePattern(q);
  const rows = await db
    .select()
    .from(users)
    .where(or(eq(users.email, q.toLowerCase()), and(sharesAnOrg, or(ilike(users.name, pattern), ilike(users.email, pattern)))))
    .orderBy(asc(users.name), asc(users.id))
    .limit(SEARCH_LIMIT);
  return c.json({ users: rows.map(userSummary) }, 200);
});
