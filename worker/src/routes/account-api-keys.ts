/** `/api/account/api-keys`: keys for scripts and tools, `Authorization: Bearer kiln_…`. */
import { z } from "@hono/zod-openapi";
import { and, desc, eq, sql } from "drizzle-orm";
import { apiKeys } from "../../../drizzle/schema";
import { API_KEY_PREFIX, requireConfirmedEmail, requireSession } from "../auth/middleware";
import { NameSchema } from "../auth/schemas";
import { apiKeyScopes } from "../auth/scopes";
import { hashToken, randomToken } from "../auth/tokens";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ApiKeyCreatedSchema, ApiKeyListSchema, type ApiKey } from "../../../protocol/api/account";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Characters of the key kept in clear, to recognise it in a list (`kiln_` and 7 more). */
const PREFIX_LENGTH = 12;


const CreateSchema = z
  .strictObject({
    name: NameSchema,
    scopes: z.array(z.enum(apiKeyScopes)).min(1, { message: "Choose at least one scope." }),
    expiresInDays: z.int().min(1).max(365).default(90),
  })
  .openapi("ApiKeyCreate");

const listRoute = defineRoute({
  method: "get",
  path: "/api-keys",
  operationId: "listApiKeys",
  access: "session",
  tags: ["account"],
  summary: "The account's API keys (never their secret)",
  responses: { 200: jsonResponse(ApiKeyListSchema, "The keys, newest first.") },
});

const createKeyRoute = defineRoute({
  method: "post",
  path: "/api-keys",
  operationId: "createApiKey",
  access: "session",
  tags: ["account"],
  summary: "Create an API key; the answer is the only time the key is shown",
  request: { body: jsonBody(CreateSchema) },
  responses: {
    201: jsonResponse(ApiKeyCreatedSchema, "The key."),
    400: jsonResponse(ErrorSchema, "Invalid name, scopes or lifetime."),
    403: jsonResponse(ErrorSchema, "Your email address is not confirmed yet (`email_unconfirmed`)."),
    429: jsonResponse(ErrorSchema, "Too many keys created recently."),
  },
});

const revokeRoute = defineRoute({
  method: "delete",
  path: "/api-keys/{id}",
  operationId: "revokeApiKey",
  access: "session",
  tags: ["account"],
  summary: "Revoke an API key at once",
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
  responses: { 204: { description: "Revoked (also when it already was)." }, 404: jsonResponse(ErrorSchema, "No such key of yours.") },
});

function publicApiKey(key: typeof apiKeys.$inferSelect): ApiKey {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

export const accountApiKeys = createApp()
  .openapi(listRoute, async (c) => {
    // account:write, not read: a key must not even list keys (sessions only).
    const { user } = requireSession(c);
    const rows = await c.var.db().select().from(apiKeys).where(eq(apiKeys.userId, user.id)).orderBy(desc(apiKeys.createdAt));
    return c.json({ apiKeys: rows.map(publicApiKey) }, 200);
  })
  .openapi(createKeyRoute, async (c) => {
    const { user } = requireSession(c);
    requireConfirmedEmail(user);
    const { name, scopes, expiresInDays } = c.req.valid("json");
    const db = c.var.db();
    await enforceRateLimits(db, [{ key: `api-key-create:user:${user.id}`, limit: 20, windowSeconds: 3600 }]);
    const key = `${API_KEY_PREFIX}${randomToken(32)}`;
    const tokenHash = await hashToken(key);
    const created = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(apiKeys)
        .values({
          userId: user.id,
          name,
          prefix: key.slice(0, PREFIX_LENGTH),
          tokenHash,
          scopes: [...new Set(scopes)],
          expiresAt: new Date(Date.now() + expiresInDays * DAY_MS),
        })
        .returning();
      await audit(c, tx, { action: "api_key.create", targetType: "api_key", targetId: row!.id, data: { name, scopes: row!.scopes, expiresInDays } });
      return row!;
    });
    return c.json({ apiKey: publicApiKey(created), key }, 201);
  })
  .openapi(revokeRoute, async (c) => {
    const { user } = requireSession(c);
    const { id } = c.req.valid("param");
    const revoked = await c.var.db().transaction(async (tx) => {
      const [row] = await tx
        .update(apiKeys)
        .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
        .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, user.id)))
        .returning({ id: apiKeys.id });
      if (row) await audit(c, tx, { action: "api_key.revoke", targetType: "api_key", targetId: id });
      return row;
    });
    if (!revoked) throw new ApiError(404, "not_found", "No such API key.");
    return c.body(null, 204);
  });
