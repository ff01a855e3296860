/** `/api/me`: the signed-in user and the organizations they belong to. */
import { z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { organizations, organizationsMembers, users } from "../../../drizzle/schema";
import { requireAuth } from "../auth/middleware";
import { MeSchema } from "../../../protocol/api/account";
import { NameSchema, PublicUserSchema, publicUser } from "../auth/schemas";
import { hasTotp } from "../auth/sign-in";
import { audit } from "../lib/audit";
import { createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";

const getRoute = defineRoute({
  method: "get",
  path: "/me",
  operationId: "getMe",
  access: "sessionOrApiKey",
  tags: ["account"],
  summary: "The signed-in user and their organizations",
  responses: { 200: jsonResponse(MeSchema, "The caller.") },
});

const patchRoute = defineRoute({
  method: "patch",
  path: "/me",
  operationId: "updateMe",
  access: "session",
  tags: ["account"],
  summary: "Change your profile",
  request: { body: jsonBody(z.strictObject({ name: NameSchema }).openapi("ProfileChange")) },
  responses: { 200: jsonResponse(PublicUserSchema, "The updated user.") },
});

export const me = createApp()
  .openapi(getRoute, async (c) => {
    const auth = requireAuth(c, "account:read");
    const db = c.var.db();
    const orgs = await db
      .select({ id: organizations.id, name: organizations.name, role: organizationsMembers.role })
      .from(organizationsMembers)
      .innerJoin(organizations, eq(organizations.id, organizationsMembers.orgId))
      .where(eq(organizationsMembers.userId, auth.user.id))
      .orderBy(asc(organizations.name));
    const user = { ...publicUser(auth.user), totpEnabled: await hasTotp(db, auth.user.id) };
    return c.json({ user, orgs, via: auth.kind }, 200);
  })
  .openapi(patchRoute, async (c) => {
    const auth = requireAuth(c, "account:write");
    const { name } = c.req.valid("json");
    const user = await c.var.db().transaction(async (tx) => {
      const [updated] = await tx.update(users).set({ name, updatedAt: new Date() }).where(eq(users.id, auth.user.id)).returning();
      await audit(c, tx, { action: "user.update", targetType: "user", targetId: auth.user.id, data: { name } });
      return updated!;
    });
    return c.json(publicUser(user), 200);
  });
