/**
 * Tenant isolation: every org and project route (and /api/me), called by someone who must
 * be refused. Statuses:
 * - 401: no valid credentials (expired session, revoked API key), whatever the route;
 * - 404: an org the caller is not in, or a project they may not see: the same answer as
 *   for an id that does not exist, so ids reveal nothing;
 * - 403: an org member (or visible project) where the caller's role is too low.
 * And the database is exactly as before.
 */
import { sql } from "drizzle-orm";
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { apiKeyScopes } from "../src/auth/scopes";
import { type ApiError, type Client, call, mailbox, newClient, signUp } from "./helpers";
import { createOrg, createProject, joinOrg, keyClient, orgState, orgWithRoles, withDb } from "./org-helpers";

type Ids = { org: string; open: string; secret: string; owner: string; admin: string; member: string; invitation: string; container: string };

interface Route {
  method: string;
  path: (ids: Ids, project: string) => string;
  body?: unknown;
  /**
   * "global": not about one org (or answering outsiders by design, as the project access check
   * does: it says "no access" rather than a bare 404); "org": about the org; "project": about one
   * project; "public": needs no credentials, only what its body holds (an invitation's token).
   */
  scope: "global" | "org" | "project" | "public";
  /** Needs a role above a plain member's: org admin/owner, or project manager. */
  privileged?: boolean;
}

const invitee = `isolation-${crypto.randomUUID().slice(0, 8)}@kiln.test`;

export const routes: Route[] = [
  { method: "GET", path: () => "/api/me", scope: "global" },
  { method: "POST", path: () => "/api/orgs", body: { name: "Sneaky" }, scope: "global" },
  { method: "GET", path: () => "/api/orgs", scope: "global" },
  { method: "GET", path: () => "/api/users/search?q=kiln", scope: "global" },
  { method: "POST", path: () => "/api/invitations/accept", body: { token: "x".repeat(43) }, scope: "global" },
  { method: "POST", path: () => "/api/invitations/preview", body: { token: "x".repeat(43) }, scope: "public" },
  { method: "GET", path: (i, p) => `/api/orgs/${i.org}/projects/${p}/access`, scope: "global" },
  { method: "GET", path: (i) => `/api/orgs/${i.org}`, scope: "org" },
  { method: "PATCH", path: (i) => `/api/orgs/${i.org}`, body: { name: "Taken over" }, scope: "org", privileged: true },
  { method: "DELETE", path: (i) => `/api/orgs/${i.org}`, scope: "org", privileged: true },
  { method: "GET", path: (i) => `/api/orgs/${i.org}/members`, scope: "org" },
  { method: "PATCH", path: (i) => `/api/orgs/${i.org}/members/${i.admin}`, body: { role: "member" }, scope: "org", privileged: true },
  { method: "DELETE", path: (i) => `/api/orgs/${i.org}/members/${i.admin}`, scope: "org", privileged: true },
  { method: "POST", path: (i) => `/api/orgs/${i.org}/invitations`, body: { email: invitee, role: "member" }, scope: "org", privileged: true },
  { method: "GET", path: (i) => `/api/orgs/${i.org}/invitations`, scope: "org", privileged: true },
  { method: "DELETE", path: (i) => `/api/orgs/${i.org}/invitations/${i.invitation}`, scope: "org", privileged: true },
  { method: "GET", path: (i) => `/api/orgs/${i.org}/audit-log`, scope: "org", privileged: true },
  { method: "POST", path: (i) => `/api/orgs/${i.org}/projects`, body: { name: "Intruder", visibility: "org" }, scope: "org" },
  { method: "GET", path: (i) => `/api/orgs/${i.org}/projects`, scope: "org" },
  { method: "GET", path: (i, p) => `/api/orgs/${i.org}/projects/${p}`, scope: "project" },
  { method: "PATCH", path: (i, p) => `/api/orgs/${i.org}/projects/${p}`, body: { visibility: "org" }, scope: "project", privileged: true },
  { method: "DELETE", path: (i, p) => `/api/orgs/${i.org}/projects/${p}`, scope: "project", privileged: true },
  { method: "GET", path: (i, p) => `/api/orgs/${i.org}/projects/${p}/members`, scope: "project" },
  { method: "PUT", path: (i, p) => `/api/orgs/${i.org}/projects/${p}/members/${i.member}`, body: { role: "admin" }, scope: "project", privileged: true },
  { method: "DELETE", path: (i, p) => `/api/orgs/${i.org}/projects/${p}/members/${i.owner}`, scope: "project", privileged: true },
  { method: "POST", path: (i, p) => `/api/orgs/${i.org}/projects/${p}/connect`, scope: "project" },
  { method: "POST", path: (i, p) => `/api/orgs/${i.org}/projects/${p}/containers`, body: { name: "Intruder", image: "localhost/kiln-jupyter:1" }, scope: "project" },
  { method: "GET", path: (i) => `/api/orgs/${i.org}/containers/${i.container}`, scope: "org" },
  { method: "POST", path: (i) => `/api/orgs/${i.org}/containers/${i.container}/launch`, scope: "org" },
  { method: "GET", path: (i) => `/api/orgs/${i.org}/container-settings`, scope: "org" },
  { method: "PUT", path: (i) => `/api/orgs/${i.org}/container-settings`, body: { idleMinutes: 30 }, scope: "org", privileged: true },
  { method: "PUT", path: (i) => `/api/orgs/${i.org}/slug`, body: { slug: "sneaky-slug" }, scope: "org", privileged: true },
];

/** An org with every kind of row a route could touch, plus the callers to refuse. */
async function fixture() {
  const { org, owner, admin, member } = await orgWithRoles();
  const open = await createProject(owner.client, org.id, "org", "Open");
  const secret = await createProject(owner.client, org.id, "members", "Secret");
  const pending = await call(owner.client, `/api/orgs/${org.id}/invitations`, { body: { email: `pending-${crypto.randomUUID().slice(0, 8)}@kiln.test`, role: "member" } });
  const invitation = ((await pending.json()) as { id: string }).id;
  const made = await call(owner.client, `/api/orgs/${org.id}/projects/${open.id}/containers`, { body: { name: "Lab", image: "localhost/kiln-jupyter:1" } });
  const container = ((await made.json()) as { container: { id: string } }).container.id;
  const ids: Ids = { org: org.id, open: open.id, secret: secret.id, owner: owner.user.id, admin: admin.user.id, member: member.user.id, invitation, container };

  const outsider = await signUp();
  const otherOrg = await createOrg(outsider.client);
  const expired = await joinOrg(owner.client, org.id, "admin");
  await withDb((db) => db.execute(sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${expired.user.id}`));
  const revoked = await keyClient(owner, [...apiKeyScopes], { revoked: true });
  return { ids, owner, member, outsider, otherOrg, expired, revoked };
}

async function expectRefused(client: Client, route: Route, ids: Ids, project: string, status: number): Promise<void> {
  const path = route.path(ids, project);
  const res = await call(client, path, { method: route.method, body: route.body });
  const text = await res.text();
  expect(res.status, `${route.method} ${path}: ${text}`).toBe(status);
  expect((JSON.parse(text) as ApiError).error.code).toEqual(expect.any(String));
}

describe("tenant isolation", () => {
  it("covers every org, project, invitation and user route in the OpenAPI document", async () => {
    const doc = await (await SELF.fetch("http://kiln.test/api/openapi.json")).json<{ paths: Record<string, Record<string, unknown>> }>();
    const documented = Object.entries(doc.paths)
      .filter(([path]) => /^\/api\/(orgs|invitations|users)\b/.test(path))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    const placeholders: Ids = { org: "{org}", open: "{project}", secret: "{project}", owner: "{user}", admin: "{user}", member: "{user}", invitation: "{id}", container: "{container}" };
    const tested = routes.map((r) => `${r.method} ${r.path(placeholders, "{project}").split("?")[0]}`).filter((r) => r !== "GET /api/me");
    expect([...tested].sort()).toEqual([...documented].sort());
  });

  it("refuses every route to expired sessions, revoked keys, outsiders, non-members of a project and plain members, changing nothing", async () => {
    const fx = await fixture();
    const { ids } = fx;
    const before = { a: await orgState(ids.org), b: await orgState(fx.otherOrg.id) };
    const orgsBefore = await withDb(async (db) => (await db.execute(sql`select count(*)::int as n from organizations`)).rows);
    let checked = 0;

    for (const route of routes) {
      // A public route answers anyone, with credentials or none, the same: nothing for a token it does not know.
      if (route.scope === "public") {
        await expectRefused(fx.outsider.client, route, ids, ids.open, 404);
        await expectRefused(newClient(), route, ids, ids.open, 404);
        checked += 2;
        continue;
      }
      // No valid credentials: 401 everywhere, even for /api/me.
      await expectRefused({ ...newClient(), cookie: fx.expired.client.cookie }, route, ids, ids.open, 401);
      await expectRefused(fx.revoked, route, ids, ids.open, 401);
      checked += 2;
      if (route.scope === "global") continue;
      // Another org's user: the org (and its projects) do not exist for them.
      await expectRefused(fx.outsider.client, route, ids, ids.open, 404);
      checked++;
      // A plain org member and a members-only project they are not in: it does not exist for them.
      if (route.scope === "project") {
        await expectRefused(fx.member.client, route, ids, ids.secret, 404);
        checked++;
      }
      // A plain member attempting what needs a higher role: 403.
      if (route.privileged) {
        await expectRefused(fx.member.client, route, ids, ids.open, 403);
        checked++;
      }
    }
    // 31 routes × 2 credential cases + 1 public route × 2 callers + 25 org/project routes for the outsider + 8 project routes + 14 privileged ones.
    expect(routes).toHaveLength(32);
    expect(checked).toBe(31 * 2 + 2 + 25 + 8 + 14);

    expect(await orgState(ids.org)).toEqual(before.a);
    expect(await orgState(fx.otherOrg.id)).toEqual(before.b);
    expect(await withDb(async (db) => (await db.execute(sql`select count(*)::int as n from organizations`)).rows)).toEqual(orgsBefore);
    expect(await mailbox(invitee)).toEqual([]);
  }, 120_000);

  it("shows an outsider neither the org in their lists nor its people in a search", async () => {
    const fx = await fixture();
    const orgs = (await (await call(fx.outsider.client, "/api/orgs")).json()) as { orgs: { id: string }[] };
    expect(orgs.orgs.map((o) => o.id)).toEqual([fx.otherOrg.id]);
    const found = (await (await call(fx.outsider.client, `/api/users/search?q=${encodeURIComponent(fx.member.email.slice(0, 10))}`)).json()) as { users: unknown[] };
    expect(found.users).toEqual([]);
  }, 60_000);

  it("answers an org id that does not exist exactly as one the caller is not in", async () => {
    const fx = await fixture();
    const missing = await call(fx.outsider.client, `/api/orgs/${crypto.randomUUID()}/projects`);
    const foreign = await call(fx.outsider.client, `/api/orgs/${fx.ids.org}/projects`);
    expect(missing.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
  }, 60_000);
});
