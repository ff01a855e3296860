import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../drizzle/client";
import { passwords, users } from "../../drizzle/schema";
import { eq } from "drizzle-orm";
import { app } from "../src/app";
import { type ApiError, call, expectJson, mailbox, newClient, signUp, uniqueEmail } from "./helpers";

function db() {
  return createDatabase({ databaseUrl: env.DATABASE_URL, wsProxy: env.DB_WS_PROXY });
}

async function userCount(email: string): Promise<number> {
  const { db: d, close } = db();
  const rows = await d.select().from(users).where(eq(users.email, email));
  await close();
  return rows.length;
}

describe("sign up", () => {
  it("creates the account, signs in with a strict cookie and emails a confirmation link", async () => {
    const client = newClient();
    const email = uniqueEmail("signup");
    const res = await call(client, "/api/auth/signup", { body: { email, password: "a long enough password", name: "Ada" } });
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^__Host-kiln_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Lax");
    const me = await expectJson<{ user: { email: string; name: string; emailVerified: boolean } }>(call(client, "/api/me"), 200);
    expect(me.user).toMatchObject({ email, name: "Ada", emailVerified: false });
    const [message] = await mailbox(email);
    expect(message?.subject).toBe("Confirm your email for Kiln");
    expect(message?.text).toMatch(/http:\/\/kiln\.test\/verify-email\?token=[A-Za-z0-9_-]{43}/);
  });

  it("treats addresses case- and space-insensitively, one account each", async () => {
    const email = uniqueEmail("case");
    await signUp({ email });
    const again = await expectJson<ApiError>(call(newClient(), "/api/auth/signup", { body: { email: `  ${email.toUpperCase()} `, password: "another password" } }), 409);
    expect(again.error.code).toBe("email_taken");
    expect(await userCount(email)).toBe(1);
  });

  it("accepts any Unicode password of 8 to 256 characters and never truncates it", async () => {
    // 256 characters, 768 bytes: accented letters and emoji in no pattern (a repeated pair is too easy to guess).
    const long = Array.from({ length: 128 }, (_, i) => String.fromCodePoint(0xe0 + ((i * 7) % 32)) + String.fromCodePoint(0x1f300 + ((i * 37) % 128))).join("");
    const { email } = await signUp({ password: long });
    expect((await call(newClient(), "/api/auth/login", { body: { email, password: long } })).status).toBe(200);
    expect((await call(newClient(), "/api/auth/login", { body: { email, password: long.slice(0, 200) } })).status).toBe(401);
    const tooLong = await expectJson<ApiError>(call(newClient(), "/api/auth/signup", { body: { email: uniqueEmail(), password: `${long}x` } }), 400);
    expect(tooLong.error.fields?.password).toEqual(["Use at most 256 characters."]);
  });

  it("refuses bad input with a 4xx naming the problem, and writes nothing", async () => {
    const email = uniqueEmail("bad");
    const cases: [unknown, Record<string, string> | undefined, number, string][] = [
      [{ email, password: "short" }, undefined, 400, "invalid_request"],
      [{ email: "not-an-email", password: "long enough pw" }, undefined, 400, "invalid_request"],
      [{ email, password: "long enough pw", admin: true }, undefined, 400, "invalid_request"],
      [{ email, password: 12345678 }, undefined, 400, "invalid_request"],
      ['{"email": "broken', undefined, 400, "bad_request"],
      [`email=${email}`, { "content-type": "application/x-www-form-urlencoded" }, 415, "unsupported_media_type"],
      [{ email, password: "x".repeat(70_000) }, undefined, 413, "payload_too_large"],
    ];
    for (const [body, headers, status, code] of cases) {
      const error = await expectJson<ApiError>(call(newClient(), "/api/auth/signup", { body, headers }), status);
      expect(error.error.code, JSON.stringify(body).slice(0, 60)).toBe(code);
    }
    const fields = await expectJson<ApiError>(call(newClient(), "/api/auth/signup", { body: { email, password: "short", extra: 1 } }), 400);
    expect(Object.keys(fields.error.fields ?? {}).sort()).toEqual(["json", "password"].sort());
    expect(await userCount(email)).toBe(0);
  });
});

describe("sign in and out", () => {
  it("opens a new session on login and revokes the one the browser had", async () => {
    const { client, email, password } = await signUp();
    const before = client.cookie;
    const result = await expectJson<{ status: string; user: { email: string } }>(call(client, "/api/auth/login", { body: { email, password } }), 200);
    expect(result).toMatchObject({ status: "signed_in", user: { email } });
    expect(client.cookie).not.toBe(before);
    await expectJson(call({ ...client, cookie: before }, "/api/me"), 401);
    await expectJson(call(client, "/api/me"), 200);
  });

  it("answers a wrong password and an unknown email with the same generic error", async () => {
    const { email } = await signUp();
    const wrong = await expectJson<ApiError>(call(newClient(), "/api/auth/login", { body: { email, password: "wrong password" } }), 401);
    const unknown = await expectJson<ApiError>(call(newClient(), "/api/auth/login", { body: { email: uniqueEmail("nobody"), password: "whatever pw" } }), 401);
    expect(wrong).toEqual(unknown);
    expect(wrong.error.message).toBe("Incorrect email or password.");
  });

  it("locks the account after 10 failures in a row, even for the right password", async () => {
    const { email, password } = await signUp();
    for (let i = 0; i < 10; i++) await expectJson(call(newClient(), "/api/auth/login", { body: { email, password: `wrong-${i}-pw` } }), 401);
    const res = await call(newClient(), "/api/auth/login", { body: { email, password } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(((await res.json()) as ApiError).error.code).toBe("account_locked");
  });

  it("rate-limits logins per address with Retry-After", async () => {
    const client = newClient();
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) last = await call(client, "/api/auth/login", { body: { email: uniqueEmail("rl"), password: "whatever pw" } });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await last!.json()) as ApiError).error.message).toMatch(/^Too many attempts\. Try again in \d+ (minutes|seconds)\.$/);
  }, 30_000); // 30 password checks of ~0.2 s each

  it("upgrades an old password hash on login", async () => {
    const { email, password, user } = await signUp();
    const { db: d, close } = db();
    // A real hash with older parameters (ln=13), as an earlier release would have stored.
    const { scrypt, randomBytes } = await import("node:crypto");
    const salt = randomBytes(16);
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt(password.normalize("NFKC"), salt, 32, { N: 2 ** 13, r: 8, p: 5 }, (e, k) => (e ? reject(e) : resolve(k))),
    );
    await d.update(passwords).set({ hash: `$scrypt$ln=13,r=8,p=5$${salt.toString("base64")}$${key.toString("base64")}` }).where(eq(passwords.userId, user.id));
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password } }), 200);
    const [row] = await d.select().from(passwords).where(eq(passwords.userId, user.id));
    await close();
    expect(row!.hash).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$/);
  });

  it("signs out on the server and clears the cookie", async () => {
    const { client } = await signUp();
    const cookie = client.cookie;
    const res = await call(client, "/api/auth/logout", { method: "POST" });
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/__Host-kiln_session=;/);
    await expectJson(call({ ...newClient(), cookie }, "/api/me"), 401);
  });

  it("uses a plain cookie without Secure only on http://localhost", async () => {
    const res = await app.request(
      "http://localhost:5173/api/auth/signup",
      { method: "POST", headers: { origin: "http://localhost:5173", "content-type": "application/json", "cf-connecting-ip": newClient().ip }, body: JSON.stringify({ email: uniqueEmail("local"), password: "local password" }) },
      env,
    );
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^kiln_session=/);
    expect(cookie).not.toContain("Secure");
  });
});

describe("cross-site protection", () => {
  it("refuses a cookie-authenticated write with no Origin or a foreign one", async () => {
    const { client } = await signUp();
    const missing = await expectJson<ApiError>(call(client, "/api/me", { method: "PATCH", body: { name: "X" }, origin: null }), 403);
    expect(missing.error.code).toBe("origin_required");
    const foreign = await expectJson<ApiError>(call(client, "/api/me", { method: "PATCH", body: { name: "X" }, origin: "https://evil.example" }), 403);
    expect(foreign.error.code).toBe("origin_forbidden");
    const me = await expectJson<{ user: { name: string } }>(call(client, "/api/me"), 200);
    expect(me.user.name).not.toBe("X");
  });

  it("sends no CORS headers to a foreign origin", async () => {
    const res = await SELF.fetch("http://kiln.test/api/me", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "PATCH" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses an invalid API key whatever the Origin", async () => {
    const client = { ...newClient(), bearer: "kiln_not-a-real-key" };
    const error = await expectJson<ApiError>(call(client, "/api/me", { method: "PATCH", body: { name: "X" }, origin: null }), 401);
    expect(error.error.code).toBe("invalid_api_key");
  });
});

describe("the dev mailbox", () => {
  it("does not exist in production", async () => {
    const res = await app.request("/api/dev/mailbox", {}, { ...env, KILN_ENV: "production" });
    expect(res.status).toBe(404);
  });

  it("shows the emails as a page with clickable links", async () => {
    const { email } = await signUp();
    const res = await SELF.fetch(`http://kiln.test/api/dev/mailbox?to=${encodeURIComponent(email)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Confirm your email for Kiln");
    expect(html).toMatch(/<a href="http:\/\/kiln\.test\/verify-email\?token=/);
  });
});
