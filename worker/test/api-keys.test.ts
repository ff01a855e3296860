import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys } from "../../drizzle/schema";
import { type ApiError, auditActions, call, confirmEmail, expectJson, newClient, signUp, withDatabase } from "./helpers";

interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

async function createKey(client: Parameters<typeof call>[0], body: Record<string, unknown>) {
  return expectJson<{ apiKey: ApiKeyView; key: string }>(call(client, "/api/account/api-keys", { body }), 201);
}

describe("API keys", () => {
  it("creates a key shown once, stored only as a prefix and a hash, listed without its secret", async () => {
    const { client, user } = await signUp({ confirmed: true });
    const { apiKey, key } = await createKey(client, { name: "laptop CLI", scopes: ["account:read", "orgs:read", "account:read"] });
    expect(key).toMatch(/^kiln_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "laptop CLI", prefix: key.slice(0, 12), scopes: ["account:read", "orgs:read"], lastUsedAt: null, revokedAt: null });
    const lifetime = new Date(apiKey.expiresAt!).getTime() - new Date(apiKey.createdAt).getTime();
    expect(Math.abs(lifetime - 90 * DAY_MS)).toBeLessThan(60_000);

    const [row] = await withDatabase((db) => db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id)));
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key);
    const list = await call(client, "/api/account/api-keys");
    const text = await list.text();
    expect(list.status).toBe(200);
    expect(text).not.toContain(key);
    expect((JSON.parse(text) as { apiKeys: ApiKeyView[] }).apiKeys.map((k) => k.id)).toEqual([apiKey.id]);
    expect(await auditActions(apiKey.id)).toEqual(["api_key.create"]);
    expect(user.id).toBe(row!.userId);
  });

  it("authenticates GET /api/me as Bearer and records when it was last used", async () => {
    const { client, user } = await signUp({ confirmed: true });
    const { apiKey, key } = await createKey(client, { name: "script", scopes: ["account:read"], expiresInDays: 7 });
    const me = await expectJson<{ user: { id: string }; via: string }>(call({ ...newClient(), bearer: key }, "/api/me"), 200);
    expect(me).toMatchObject({ user: { id: user.id }, via: "api_key" });
    const [listed] = (await expectJson<{ apiKeys: ApiKeyView[] }>(call(client, "/api/account/api-keys"), 200)).apiKeys;
    expect(listed!.id).toBe(apiKey.id);
    expect(Date.now() - new Date(listed!.lastUsedAt!).getTime()).toBeLessThan(60_000);
    const lifetime = new Date(listed!.expiresAt!).getTime() - new Date(listed!.createdAt).getTime();
    expect(Math.abs(lifetime - 7 * DAY_MS)).toBeLessThan(60_000);
  });

  it("answers 403 insufficient_scope for a missing scope, and never lets a key manage keys", async () => {
    const { client } = await signUp({ confirmed: true });
    const { key } = await createKey(client, { name: "orgs only", scopes: ["orgs:read"] });
    const bearer = { ...newClient(), bearer: key };
    const me = await expectJson<ApiError>(call(bearer, "/api/me"), 403);
    expect(me.error).toMatchObject({ code: "insufficient_scope", message: 'This API key lacks the "account:read" scope.' });
    const { key: full } = await createKey(client, { name: "everything", scopes: ["account:read", "orgs:read", "orgs:write", "projects:read", "projects:write", "gateway:connect"] });
    const strong = { ...newClient(), bearer: full };
    for (const [path, method, body] of [
      ["/api/account/api-keys", "GET", undefined],
      ["/api/account/api-keys", "POST", { name: "child", scopes: ["account:read"] }],
    ] as const) {
      const error = await expectJson<ApiError>(call(strong, path, { method, body }), 403);
      expect(error.error.code).toBe("insufficient_scope");
    }
  });

  it("stops a revoked key at once (401), and only its owner can revoke it", async () => {
    const { client } = await signUp({ confirmed: true });
    const { apiKey, key } = await createKey(client, { name: "to revoke", scopes: ["account:read"] });
    const bearer = { ...newClient(), bearer: key };
    await expectJson(call(bearer, "/api/me"), 200);
    const other = await signUp();
    await expectJson(call(other.client, `/api/account/api-keys/${apiKey.id}`, { method: "DELETE" }), 404);
    await expectJson(call(bearer, "/api/me"), 200);
    expect((await call(client, `/api/account/api-keys/${apiKey.id}`, { method: "DELETE" })).status).toBe(204);
    const error = await expectJson<ApiError>(call(bearer, "/api/me"), 401);
    expect(error.error.code).toBe("invalid_api_key");
    const [listed] = (await expectJson<{ apiKeys: ApiKeyView[] }>(call(client, "/api/account/api-keys"), 200)).apiKeys;
    expect(listed!.revokedAt).not.toBeNull();
    expect(await auditActions(apiKey.id)).toEqual(["api_key.create", "api_key.revoke"]);
  });

  it("refuses an expired key (401)", async () => {
    const { client } = await signUp({ confirmed: true });
    const { apiKey, key } = await createKey(client, { name: "short-lived", scopes: ["account:read"], expiresInDays: 1 });
    await withDatabase((db) => db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, apiKey.id)));
    const error = await expectJson<ApiError>(call({ ...newClient(), bearer: key }, "/api/me"), 401);
    expect(error.error.code).toBe("invalid_api_key");
  });

  it("needs a confirmed email: 403 email_unconfirmed until the sign-up link is followed", async () => {
    const person = await signUp();
    const body = { name: "too early", scopes: ["account:read"] };
    const refused = await expectJson<ApiError>(call(person.client, "/api/account/api-keys", { body }), 403);
    expect(refused.error).toEqual({ code: "email_unconfirmed", message: expect.stringContaining(`Confirm your email address first: open the link we emailed to ${person.email}`) });
    expect((await expectJson<{ apiKeys: ApiKeyView[] }>(call(person.client, "/api/account/api-keys"), 200)).apiKeys).toEqual([]);
    await confirmEmail(person);
    await createKey(person.client, body);
  });

  it("validates name, scopes and lifetime", async () => {
    const { client } = await signUp();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "x", scopes: [] }, "scopes"],
      [{ name: "x", scopes: ["account:write"] }, "scopes.0"],
      [{ name: "x", scopes: ["admin"] }, "scopes.0"],
      [{ name: "", scopes: ["orgs:read"] }, "name"],
      [{ name: "x", scopes: ["orgs:read"], expiresInDays: 0 }, "expiresInDays"],
      [{ name: "x", scopes: ["orgs:read"], expiresInDays: 366 }, "expiresInDays"],
      [{ name: "x", scopes: ["orgs:read"], expiresInDays: 1.5 }, "expiresInDays"],
      [{ name: "x", scopes: ["orgs:read"], userId: "someone" }, "json"],
    ];
    for (const [body, field] of cases) {
      const error = await expectJson<ApiError>(call(client, "/api/account/api-keys", { body }), 400);
      expect(Object.keys(error.error.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const { apiKeys: list } = await expectJson<{ apiKeys: ApiKeyView[] }>(call(client, "/api/account/api-keys"), 200);
    expect(list).toHaveLength(0);
  });
});
