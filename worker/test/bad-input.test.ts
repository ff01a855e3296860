/** Bad input on every org and project route that reads a body, path or query: a 4xx JSON error naming the problem, and nothing written. */
import { describe, expect, it } from "vitest";
import { type ApiError, call, expectJson } from "./helpers";
import { createProject, orgState, orgWithRoles, withDb } from "./org-helpers";
import { sql } from "drizzle-orm";

interface BodyRoute {
  method: string;
  path: string;
  valid: Record<string, unknown>;
  /** A body with one field of the wrong type or value: `bad`. */
  wrongType: Record<string, unknown>;
  bad: string;
}

describe("bad input", () => {
  it("refuses malformed JSON, wrong types, unknown fields, a missing body and other content types", async () => {
    const { org, owner, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org", "Target");
    const base = `/api/orgs/${org.id}`;
    const routes: BodyRoute[] = [
      { method: "POST", path: "/api/orgs", valid: { name: "Fine" }, wrongType: { name: 42 }, bad: "name" },
      { method: "PATCH", path: base, valid: { name: "Fine" }, wrongType: { name: ["x"] }, bad: "name" },
      { method: "PATCH", path: `${base}/members/${member.user.id}`, valid: { role: "admin" }, wrongType: { role: "superuser" }, bad: "role" },
      { method: "POST", path: `${base}/invitations`, valid: { email: "x@kiln.test", role: "member" }, wrongType: { email: "not an email", role: "member" }, bad: "email" },
      { method: "POST", path: "/api/invitations/accept", valid: { token: "t" }, wrongType: { token: 1 }, bad: "token" },
      { method: "POST", path: `${base}/projects`, valid: { name: "Fine", visibility: "org" }, wrongType: { name: "Fine", visibility: "public" }, bad: "visibility" },
      { method: "PATCH", path: `${base}/projects/${project.id}`, valid: { name: "Fine" }, wrongType: { visibility: true }, bad: "visibility" },
      { method: "PUT", path: `${base}/projects/${project.id}/members/${member.user.id}`, valid: { role: "member" }, wrongType: { role: "owner" }, bad: "role" },
    ];
    const before = await orgState(org.id);
    const orgCount = async () => (await withDb((db) => db.execute(sql`select count(*)::int as n from organizations where created_by = ${owner.user.id}`))).rows;
    const countBefore = await orgCount();

    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      const send = (body: unknown, headers?: Record<string, string>) => call(owner.client, route.path, { method: route.method, body, headers });
      const malformed = await expectJson<ApiError>(send(JSON.stringify(route.valid).slice(0, -2)), 400);
      expect(malformed.error.code, label).toBe("bad_request");

      const wrong = await expectJson<ApiError>(send(route.wrongType), 400);
      expect(wrong.error.code, label).toBe("invalid_request");
      expect(Object.keys(wrong.error.fields ?? {}), label).toEqual([route.bad]);

      const unknown = await expectJson<ApiError>(send({ ...route.valid, isAdmin: true }), 400);
      expect(unknown.error.fields, label).toHaveProperty("json");
      expect(unknown.error.message, label).toMatch(/^Invalid json: check/);

      const missing = await call(owner.client, route.path, { method: route.method });
      expect(missing.status, label).toBeGreaterThanOrEqual(400);
      expect(missing.status, label).toBeLessThan(500);
      expect(((await missing.json()) as ApiError).error.code, label).toEqual(expect.any(String));

      const form = await expectJson<ApiError>(send(new URLSearchParams(Object.entries(route.valid).map(([k, v]) => [k, String(v)])).toString(), { "content-type": "application/x-www-form-urlencoded" }), 415);
      expect(form.error.code, label).toBe("unsupported_media_type");
      const array = await expectJson<ApiError>(send([route.valid]), 400);
      expect(array.error.code, label).toBe("invalid_request");
    }
    // An empty PATCH of a project says what to give.
    const empty = await expectJson<ApiError>(call(owner.client, `${base}/projects/${project.id}`, { method: "PATCH", body: {} }), 400);
    expect(empty.error.message).toMatch(/Invalid json/);
    expect(JSON.stringify(empty.error.fields)).toContain("Give a name, a visibility or both.");

    expect(await orgState(org.id)).toEqual(before);
    expect(await orgCount()).toEqual(countBefore);
  }, 60_000);

  it("refuses ids that are not UUIDs and bad queries with a 400 naming the parameter", async () => {
    const { org, owner } = await orgWithRoles();
    const before = await orgState(org.id);
    const cases: [string, string, string][] = [
      // Reading an org takes its slug too ("nope" is one nobody holds: a 404), not what no slug can be.
      ["GET", "/api/orgs/No_pe", "org"],
      ["GET", `/api/orgs/${"x".repeat(61)}`, "org"],
      ["DELETE", "/api/orgs/nope", "org"],
      ["PATCH", `/api/orgs/${org.id}/members/nope`, "user"],
      ["DELETE", `/api/orgs/${org.id}/invitations/nope`, "id"],
      ["GET", `/api/orgs/${org.id}/projects/nope`, "project"],
      ["DELETE", `/api/orgs/${org.id}/projects/${crypto.randomUUID()}/members/nope`, "user"],
      ["POST", `/api/orgs/${org.id}/projects/nope/connect`, "project"],
      ["GET", "/api/users/search", "q"],
      ["GET", `/api/users/search?q=${"x".repeat(300)}`, "q"],
      ["GET", `/api/orgs/${org.id}/audit-log?limit=1000`, "limit"],
      ["GET", `/api/orgs/${org.id}/audit-log?before=-1`, "before"],
    ];
    for (const [method, path, field] of cases) {
      const body = method === "PATCH" ? { role: "member" } : undefined;
      const error = await expectJson<ApiError>(call(owner.client, path, { method, body }), 400);
      expect(error.error.code, path).toBe("invalid_request");
      expect(Object.keys(error.error.fields ?? {}), path).toContain(field);
    }
    expect(await orgState(org.id)).toEqual(before);
  }, 60_000);

  // Postgres refuses both in text (and jsonb): they used to reach the query and answer 500.
  it.each([
    ["a NUL character", "Ada\u0000Lovelace"],
    ["a lone surrogate", "Ada\ud800"],
  ])("refuses %s in every name, the search query and a redirect with a 400 naming the field", async (_, text) => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org", "Target");
    const base = `/api/orgs/${org.id}`;
    const cases: [method: string, path: string, body: Record<string, unknown> | undefined, field: string][] = [
      ["POST", "/api/auth/signup", { email: `nul-${crypto.randomUUID().slice(0, 8)}@kiln.test`, password: `pw-${crypto.randomUUID()}`, name: text }, "name"],
      ["POST", "/api/orgs", { name: text }, "name"],
      ["PATCH", base, { name: text }, "name"],
      ["POST", `${base}/projects`, { name: text, visibility: "org" }, "name"],
      ["PATCH", `${base}/projects/${project.id}`, { name: text }, "name"],
      ["PATCH", "/api/me", { name: text }, "name"],
      ["POST", "/api/account/api-keys", { name: text, scopes: ["account:read"] }, "name"],
      ["POST", "/api/auth/magic-link/request", { email: "someone@kiln.test", redirect: `/orgs/${text}` }, "redirect"],
      // A URL cannot carry a lone surrogate (percent-encoding is UTF-8), only a NUL.
      ["GET", `/api/users/search?q=${encodeURIComponent(text.replace("\ud800", "\u0000"))}`, undefined, "q"],
    ];
    const before = await orgState(org.id);
    const name = async () => (await withDb((db) => db.execute(sql`select name from users where id = ${owner.user.id}`))).rows;
    const nameBefore = await name();
    for (const [method, path, body, field] of cases) {
      const error = await expectJson<ApiError>(call(owner.client, path, { method, body }), 400);
      expect(error.error.code, path).toBe("invalid_request");
      expect(error.error.fields?.[field], path).toContainEqual(expect.stringContaining("NUL character (U+0000)"));
      expect(error.error.message, path).toContain(field);
    }
    expect(await orgState(org.id)).toEqual(before);
    expect(await name()).toEqual(nameBefore);
  }, 60_000);
});
