import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions } from "../../drizzle/schema";
import { type ApiError, auditActions, call, expectJson, newClient, signUp, tokenFromEmail, uniqueEmail, withDatabase } from "./helpers";

interface SessionView {
  id: string;
  method: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

async function listSessions(client: Parameters<typeof call>[0]): Promise<SessionView[]> {
  return (await expectJson<{ sessions: SessionView[] }>(call(client, "/api/account/sessions"), 200)).sessions;
}

describe("sessions", () => {
  it("lists the account's sessions, marking the current one, and nobody else's", async () => {
    const { client, email, password } = await signUp();
    const laptop = newClient();
    await expectJson(call(laptop, "/api/auth/login", { body: { email, password }, headers: { "user-agent": "Laptop/1.0" } }), 200);
    await signUp(); // another account's session must not show up
    const list = await listSessions(client);
    expect(list).toHaveLength(2);
    const current = list.filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ method: "password", ip: client.ip });
    expect(list.find((s) => !s.current)).toMatchObject({ ip: laptop.ip, userAgent: "Laptop/1.0", current: false });
    for (const s of list) expect(new Date(s.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it("signs out one of your sessions; another user's session id answers 404", async () => {
    const { client, email, password } = await signUp();
    const phone = newClient();
    await expectJson(call(phone, "/api/auth/login", { body: { email, password } }), 200);
    const other = await signUp();
    const [otherSession] = await listSessions(other.client);
    const notYours = await expectJson<ApiError>(call(client, `/api/account/sessions/${otherSession!.id}`, { method: "DELETE" }), 404);
    expect(notYours.error.code).toBe("not_found");
    await expectJson(call(other.client, "/api/me"), 200);

    const phoneSession = (await listSessions(client)).find((s) => !s.current)!;
    expect((await call(client, `/api/account/sessions/${phoneSession.id}`, { method: "DELETE" })).status).toBe(204);
    await expectJson(call(phone, "/api/me"), 401);
    await expectJson(call(client, "/api/me"), 200);
    await expectJson(call(client, `/api/account/sessions/${phoneSession.id}`, { method: "DELETE" }), 404);
    expect(await auditActions(phoneSession.id)).toEqual(["session.revoke"]);
  });

  it("signs out the current session when asked, clearing its cookie", async () => {
    const { client } = await signUp();
    const [current] = await listSessions(client);
    const res = await call(client, `/api/account/sessions/${current!.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/__Host-kiln_session=;/);
    await expectJson(call(client, "/api/me"), 401);
  });

  it("signs out every other session", async () => {
    const { client, email, password } = await signUp();
    const others = [newClient(), newClient()];
    for (const o of others) await expectJson(call(o, "/api/auth/login", { body: { email, password } }), 200);
    const { revoked } = await expectJson<{ revoked: number }>(call(client, "/api/account/sessions/revoke-others", { method: "POST" }), 200);
    expect(revoked).toBe(2);
    for (const o of others) await expectJson(call(o, "/api/me"), 401);
    expect(await listSessions(client)).toHaveLength(1);
  });

  it("is for sessions only: API keys are refused", async () => {
    const { client } = await signUp({ confirmed: true });
    const { key } = await expectJson<{ key: string }>(call(client, "/api/account/api-keys", { body: { name: "ci", scopes: ["account:read"] } }), 201);
    const error = await expectJson<ApiError>(call({ ...newClient(), bearer: key }, "/api/account/sessions"), 403);
    expect(error.error.code).toBe("insufficient_scope");
  });
});

describe("changing the password", () => {
  it("needs the current password, signs out other sessions and opens a new one", async () => {
    const { client, email, password, user } = await signUp();
    const other = newClient();
    await expectJson(call(other, "/api/auth/login", { body: { email, password } }), 200);
    const missing = await expectJson<ApiError>(call(client, "/api/account/password", { body: { newPassword: "new password 1" } }), 400);
    expect(missing.error.fields?.currentPassword).toBeDefined();
    const wrong = await expectJson<ApiError>(call(client, "/api/account/password", { body: { currentPassword: "nope nope", newPassword: "new password 1" } }), 401);
    expect(wrong.error.code).toBe("invalid_credentials");
    await expectJson(call(other, "/api/me"), 200);

    const before = client.cookie;
    expect((await call(client, "/api/account/password", { body: { currentPassword: password, newPassword: "new password 1" } })).status).toBe(204);
    expect(client.cookie).not.toBe(before);
    await expectJson(call(client, "/api/me"), 200);
    await expectJson(call({ ...client, cookie: before }, "/api/me"), 401);
    await expectJson(call(other, "/api/me"), 401);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password } }), 401);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password: "new password 1" } }), 200);
    expect(await auditActions(user.id)).toContain("user.password_change");
  });

  it("voids a reset link sent before the change", async () => {
    const { client, email, password } = await signUp();
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const token = await tokenFromEmail(email, /Reset your Kiln password/);
    await expectJson(call(client, "/api/account/password", { body: { currentPassword: password, newPassword: "changed password" } }), 204);
    const error = await expectJson<ApiError>(call(newClient(), "/api/auth/password-reset", { body: { token, password: "attacker password" } }), 400);
    expect(error.error.code).toBe("token_used");
  });

  it("lets an account without a password set one without currentPassword", async () => {
    const email = uniqueEmail("nopw");
    await expectJson(call(newClient(), "/api/auth/magic-link/request", { body: { email } }), 202);
    const client = newClient();
    await expectJson(call(client, "/api/auth/magic-link/verify", { body: { token: await tokenFromEmail(email, /sign-in link/) } }), 200);
    await expectJson(call(client, "/api/account/password", { body: { newPassword: "my first password" } }), 204);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password: "my first password" } }), 200);
    // Now it has one, so the next change needs it.
    await expectJson(call(client, "/api/account/password", { body: { newPassword: "my second password" } }), 400);
  });

  it("counts wrong current passwords toward the lockout", async () => {
    const { client, email, password } = await signUp();
    for (let i = 0; i < 10; i++) {
      await expectJson(call(client, "/api/account/password", { body: { currentPassword: `wrong-${i}-pw`, newPassword: "whatever new pw" } }), 401);
    }
    const locked = await expectJson<ApiError>(call(client, "/api/account/password", { body: { currentPassword: password, newPassword: "whatever new pw" } }), 429);
    expect(locked.error.code).toBe("account_locked");
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password } }), 429);
  }, 30_000);

  it("refuses a pending session (second factor owed)", async () => {
    const { client, user } = await signUp();
    await withDatabase((db) => db.update(sessions).set({ fullyAuthenticated: false }).where(eq(sessions.userId, user.id)));
    const error = await expectJson<ApiError>(call(client, "/api/account/password", { body: { newPassword: "sneaky password" } }), 401);
    expect(error.error.code).toBe("mfa_required");
  });
});
