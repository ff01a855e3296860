/** Helpers for the organization and project tests: fixtures made through the API, and direct database checks. */
import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { createDatabase } from "../../drizzle/client";
import { apiKeys } from "../../drizzle/schema";
import { hashToken } from "../src/auth/tokens";
import { type Client, type SignedUp, call, confirmEmail, expectJson, signUp, tokenFromEmail } from "./helpers";

export interface Org {
  id: string;
  name: string;
  slug: string;
  role: string;
}

export interface Project {
  id: string;
  name: string;
  visibility: "org" | "members";
  role: string | null;
}

/** Runs `fn` with a direct database connection, closed afterwards. */
export async function withDb<T>(fn: (db: ReturnType<typeof createDatabase>["db"]) => Promise<T>): Promise<T> {
  const handle = createDatabase({ databaseUrl: env.DATABASE_URL, wsProxy: env.DB_WS_PROXY });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

/** Creates an org owned by `client`. */
export async function createOrg(client: Client, name = `Org ${crypto.randomUUID().slice(0, 6)}`): Promise<Org> {
  return expectJson<Org>(call(client, "/api/orgs", { body: { name } }), 201);
}

/** Asks to change the org's slug, as `client`. */
export function changeSlug(client: Client, orgId: string, slug: string): Promise<Response> {
  return call(client, `/api/orgs/${orgId}/slug`, { method: "PUT", body: { slug } });
}

/** Creates a project in `orgId` as `client`. */
export async function createProject(client: Client, orgId: string, visibility: "org" | "members" = "org", name = `Project ${crypto.randomUUID().slice(0, 6)}`): Promise<Project> {
  return expectJson<Project>(call(client, `/api/orgs/${orgId}/projects`, { body: { name, visibility } }), 201);
}

/** Invites a new user to the org with `role` (as `admin`) and has them confirm their email and accept: the real flow. */
export async function joinOrg(admin: Client, orgId: string, role: "owner" | "admin" | "member" = "member", who?: SignedUp): Promise<SignedUp> {
  const person = who ?? (await signUp());
  await confirmEmail(person);
  await expectJson(call(admin, `/api/orgs/${orgId}/invitations`, { body: { email: person.email, role } }), 201);
  const token = await tokenFromEmail(person.email, /invited you to/);
  await expectJson(call(person.client, "/api/invitations/accept", { body: { token } }), 200);
  return person;
}

/** An org with an owner, an admin and a plain member. */
export async function orgWithRoles() {
  const owner = await signUp({ name: "Owner" });
  const org = await createOrg(owner.client);
  const admin = await joinOrg(owner.client, org.id, "admin");
  const member = await joinOrg(owner.client, org.id, "member");
  return { org, owner, admin, member };
}

/** Inserts an API key for `userId` straight into the database (SHA-256 hex of the key, as the app stores it) and returns it. */
export async function insertApiKey(userId: string, scopes: string[], options: { revoked?: boolean } = {}): Promise<string> {
  const key = `kiln_${crypto.randomUUID().replaceAll("-", "")}`;
  const tokenHash = await hashToken(key);
  expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
  await withDb((db) => db.insert(apiKeys).values({ userId, name: "test", prefix: key.slice(0, 11), tokenHash, scopes, revokedAt: options.revoked ? new Date() : null }));
  return key;
}

/** A client that calls with an API key of `person`. */
export async function keyClient(person: SignedUp, scopes: string[], options: { revoked?: boolean } = {}): Promise<Client> {
  return { ip: person.client.ip, bearer: await insertApiKey(person.user.id, scopes, options) };
}

/** Everything the database holds about an org, to show a refused request changed nothing. */
export async function orgState(orgId: string): Promise<unknown> {
  return withDb(async (db) => {
    const q = async (query: ReturnType<typeof sql>) => (await db.execute(query)).rows;
    return {
      org: await q(sql`select id, name from organizations where id = ${orgId}`),
      members: await q(sql`select user_id, role from organizations_members where org_id = ${orgId} order by user_id`),
      projects: await q(sql`select id, name, visibility from projects where org_id = ${orgId} order by id`),
      projectMembers: await q(sql`select pm.project_id, pm.user_id, pm.role from projects_members pm join projects p on p.id = pm.project_id where p.org_id = ${orgId} order by 1, 2`),
      invitations: await q(sql`select id, email, role, accepted_at from invitations where org_id = ${orgId} order by id`),
      audit: await q(sql`select count(*)::int as n, max(id)::text as last from audit_log where org_id = ${orgId}`),
      bridge: await q(sql`select bridge_id from organizations_vpn_bridges where org_id = ${orgId}`),
    };
  });
}

/** The org's audit actions, oldest first. */
export async function auditActions(orgId: string): Promise<string[]> {
  return withDb(async (db) => (await db.execute<{ action: string }>(sql`select action from audit_log where org_id = ${orgId} order by id`)).rows.map((r) => r.action));
}
