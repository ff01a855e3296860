import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { app } from "../src/app";
import { type ApiError, ORIGIN, call, confirmEmail, expectJson, mailbox, newClient, signUp, tokenFromEmail } from "./helpers";
import { type Org, auditActions, changeSlug, createOrg, createProject, joinOrg, orgState, orgWithRoles, withDb } from "./org-helpers";

interface Member {
  user: { id: string; email: string; name: string };
  role: string;
}

async function members(client: Parameters<typeof call>[0], orgId: string): Promise<Record<string, string>> {
  const body = await expectJson<{ members: Member[] }>(call(client, `/api/orgs/${orgId}/members`), 200);
  return Object.fromEntries(body.members.map((m) => [m.user.id, m.role]));
}

describe("organizations", () => {
  it("makes the creator owner, lists mine with my role, renames and deletes", async () => {
    const { client, user } = await signUp();
    const org = await createOrg(client, "  Acme  ");
    expect(org).toMatchObject({ name: "Acme", role: "owner" });
    const other = await createOrg(client, "Beta");
    const list = await expectJson<{ orgs: Org[] }>(call(client, "/api/orgs"), 200);
    expect(list.orgs.map((o) => [o.name, o.role])).toEqual([["Acme", "owner"], ["Beta", "owner"]]);
    expect(await expectJson<Org>(call(client, `/api/orgs/${org.id}`), 200)).toEqual(org);
    expect(await members(client, org.id)).toEqual({ [user.id]: "owner" });

    const renamed = await expectJson<Org>(call(client, `/api/orgs/${org.id}`, { method: "PATCH", body: { name: "Acme Corp" } }), 200);
    expect(renamed.name).toBe("Acme Corp");
    const me = await expectJson<{ orgs: { name: string }[] }>(call(client, "/api/me"), 200);
    expect(me.orgs.map((o) => o.name)).toEqual(["Acme Corp", "Beta"]);

    expect((await call(client, `/api/orgs/${other.id}`, { method: "DELETE" })).status).toBe(204);
    await expectJson(call(client, `/api/orgs/${other.id}`), 404);
    expect(await auditActions(org.id)).toEqual(["org.create", "org.rename"]);
    // The deleted org's history stays, its deletion included.
    expect(await auditActions(other.id)).toEqual(["org.create", "org.delete"]);
    const deleted = await withDb(async (db) => (await db.execute(sql`select org_id, action, target_id from audit_log where target_id = ${other.id} and action = 'org.delete'`)).rows);
    expect(deleted).toEqual([{ org_id: other.id, action: "org.delete", target_id: other.id }]);
  });

  it("lets admins rename but only owners delete", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    await expectJson(call(admin.client, `/api/orgs/${org.id}`, { method: "PATCH", body: { name: "By admin" } }), 200);
    const refused = await expectJson<ApiError>(call(member.client, `/api/orgs/${org.id}`, { method: "PATCH", body: { name: "By member" } }), 403);
    expect(refused.error.code).toBe("forbidden");
    const notOwner = await expectJson<ApiError>(call(admin.client, `/api/orgs/${org.id}`, { method: "DELETE" }), 403);
    expect(notOwner.error.code).toBe("owner_required");
    expect((await expectJson<Org>(call(owner.client, `/api/orgs/${org.id}`), 200)).name).toBe("By admin");
  });
});

describe("slugs", () => {
  it("names each org in URLs: its name made plain, a number added when taken, kept when renamed", async () => {
    const { client } = await signUp();
    const tag = crypto.randomUUID().slice(0, 6);
    const first = await createOrg(client, `Ünïcode  Labs ${tag}!`);
    expect(first.slug).toBe(`unicode-labs-${tag}`);
    // Another person's org of the same name: its own slug.
    const second = await createOrg((await signUp()).client, `Unicode Labs ${tag}`);
    expect(second.slug).toBe(`unicode-labs-${tag}-2`);
    // Made at the same moment, three of one name still get three slugs.
    const together = await Promise.all([1, 2, 3].map(() => createOrg(client, `Same ${tag}`)));
    expect(new Set(together.map((o) => o.slug))).toEqual(new Set([`same-${tag}`, `same-${tag}-2`, `same-${tag}-3`]));
    const renamed = await expectJson<Org>(call(client, `/api/orgs/${first.id}`, { method: "PATCH", body: { name: "Something else" } }), 200);
    expect(renamed.slug).toBe(first.slug);
    expect((await createOrg(client, "!!!")).slug).toMatch(/^org(-\d+)?$/);
    // A name shaped like an id would make a URL that reads as one: not as a slug.
    const idLike = await createOrg(client, crypto.randomUUID());
    expect(idLike.slug).toMatch(/^org-[0-9a-f-]+$/);
    expect(await expectJson<Org>(call(client, `/api/orgs/${idLike.slug}`), 200)).toMatchObject({ id: idLike.id });
  });

  it("finds an org by its slug for its members only: anyone else gets the 404 of a slug nobody holds", async () => {
    const { client } = await signUp();
    const org = await createOrg(client, `Slugged ${crypto.randomUUID().slice(0, 6)}`);
    expect(await expectJson<Org>(call(client, `/api/orgs/${org.slug}`), 200)).toEqual(org);
    const stranger = (await signUp()).client;
    const hidden = await expectJson<ApiError>(call(stranger, `/api/orgs/${org.slug}`), 404);
    const nobody = await expectJson<ApiError>(call(client, `/api/orgs/no-such-org-${crypto.randomUUID().slice(0, 6)}`), 404);
    expect(hidden).toEqual(nobody);
    expect(hidden.error.code).toBe("org_not_found");
    for (const bad of ["Acme", "a_b", "a%2F..%2Fb"]) expect((await call(client, `/api/orgs/${bad}`)).status, bad).toBe(400);
  });
});

describe("changing an org's slug", () => {
  const tag = () => crypto.randomUUID().slice(0, 8);

  it("lets an admin change it; the old slug still finds the org (and its projects' access) for members only; audited old → new", async () => {
    const { org, owner, admin } = await orgWithRoles();
    const project = await createProject(owner.client, org.id);
    const wanted = `new-home-${tag()}`;
    const changed = await expectJson<Org>(changeSlug(admin.client, org.id, wanted), 200);
    expect(changed).toMatchObject({ id: org.id, name: org.name, slug: wanted, role: "admin" });
    expect(await expectJson<Org>(call(owner.client, `/api/orgs/${wanted}`), 200)).toMatchObject({ id: org.id, slug: wanted });
    // An old link: the org, with its current slug for the app to rewrite the address to.
    expect(await expectJson<Org>(call(owner.client, `/api/orgs/${org.slug}`), 200)).toMatchObject({ id: org.id, slug: wanted });
    expect(await expectJson(call(owner.client, `/api/orgs/${org.slug}/projects/${project.id}/access`), 200)).toEqual({ access: "open" });
    // To anyone else an old slug is a slug nobody holds.
    const stranger = (await signUp()).client;
    const hidden = await expectJson<ApiError>(call(stranger, `/api/orgs/${org.slug}`), 404);
    expect(hidden).toEqual(await expectJson<ApiError>(call(stranger, `/api/orgs/nobody-${tag()}`), 404));
    expect(await expectJson(call(stranger, `/api/orgs/${org.slug}/projects/${project.id}/access`), 200)).toMatchObject({ access: "no_access", reason: "not_org_member" });

    const entries = await withDb(async (db) => (await db.execute(sql`select action, actor_user_id, data from audit_log where org_id = ${org.id} and action = 'org.slug'`)).rows);
    expect(entries).toEqual([{ action: "org.slug", actor_user_id: admin.user.id, data: { from: org.slug, to: wanted } }]);

    // Its own old slug it may take back; asking for the slug it has changes nothing.
    expect((await expectJson<Org>(changeSlug(owner.client, org.id, org.slug), 200)).slug).toBe(org.slug);
    expect((await expectJson<Org>(changeSlug(owner.client, org.id, org.slug), 200)).slug).toBe(org.slug);
    expect((await auditActions(org.id)).filter((a) => a === "org.slug")).toHaveLength(2);
    expect((await expectJson<Org>(call(owner.client, `/api/orgs/${wanted}`), 200)).slug).toBe(org.slug);
  });

  it("refuses members, strangers and slugs a person may not choose, changing nothing", async () => {
    const { org, owner, member } = await orgWithRoles();
    const before = await orgState(org.id);
    const forbidden = await expectJson<ApiError>(changeSlug(member.client, org.id, `by-member-${tag()}`), 403);
    expect(forbidden.error).toEqual({ code: "forbidden", message: "Only the organization's admins and owners may change its address." });
    // Another org's admin: this org does not exist for them.
    const otherAdmin = (await signUp()).client;
    await createOrg(otherAdmin);
    expect((await expectJson<ApiError>(changeSlug(otherAdmin, org.id, `by-stranger-${tag()}`), 404)).error.code).toBe("org_not_found");
    const bad = ["", "Acme", "acme labs", "a_b", "-acme", "acme-", "a--b", "ü-labs", "x".repeat(41), crypto.randomUUID(), "e4665e98-28ce-4e0c-9171-91165d4259fd"];
    for (const slug of bad) {
      const refused = await expectJson<ApiError>(changeSlug(owner.client, org.id, slug), 400);
      expect(refused.error.code, slug).toBe("invalid_slug");
      expect(refused.error.fields?.slug, slug).toEqual([refused.error.message]);
    }
    const idShaped = await expectJson<ApiError>(changeSlug(owner.client, org.id, crypto.randomUUID()), 400);
    expect(idShaped.error.message).toContain("shaped like an id");
    expect((await expectJson<ApiError>(call(owner.client, `/api/orgs/${org.id}/slug`, { method: "PUT", body: { slug: 7 } }), 400)).error.code).toBe("invalid_request");
    expect(await orgState(org.id)).toEqual(before);
    expect((await expectJson<Org>(call(member.client, `/api/orgs/${org.id}`), 200)).slug).toBe(org.slug);
  });

  it("never gives an org a slug another org has or had, nor a new org one", async () => {
    const { client } = await signUp();
    const first = await createOrg(client, `First ${tag()}`);
    const second = await createOrg((await signUp()).client, `Second ${tag()}`);
    const taken = await expectJson<ApiError>(changeSlug(client, first.id, second.slug), 409);
    expect(taken.error).toMatchObject({ code: "slug_taken", fields: { slug: [taken.error.message] } });
    expect(taken.error.message).toContain(`/orgs/${second.slug}`);

    const moved = `moved-${tag()}`;
    await expectJson(changeSlug(client, first.id, moved), 200);
    // The slug it left stays with it: no other org may take it, and a new org of that name gets another.
    const other = await signUp();
    const third = await createOrg(other.client, `Third ${tag()}`);
    expect((await expectJson<ApiError>(changeSlug(other.client, third.id, first.slug), 409)).error.code).toBe("slug_taken");
    const namesake = await createOrg(other.client, first.name);
    expect(namesake.slug).toBe(`${first.slug}-2`);
    expect((await expectJson<Org>(call(client, `/api/orgs/${first.slug}`), 200)).id).toBe(first.id);

    // Deleted, an org lets its slugs go.
    expect((await call(client, `/api/orgs/${first.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await expectJson<Org>(changeSlug(other.client, third.id, first.slug), 200)).slug).toBe(first.slug);
    expect((await expectJson<Org>(changeSlug(other.client, third.id, moved), 200)).slug).toBe(moved);
  });

  it("gives a slug claimed by several orgs at once to one of them; the others get 409", async () => {
    const people = await Promise.all([1, 2, 3, 4].map(() => signUp()));
    const orgs = await Promise.all(people.map((p) => createOrg(p.client)));
    const contested = `contested-${tag()}`;
    const answers = await Promise.all(orgs.map((o, i) => changeSlug(people[i]!.client, o.id, contested)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = orgs[answers.findIndex((r) => r.status === 200)]!;
    const held = await withDb(async (db) => (await db.execute(sql`select org_id from organizations_slugs where slug = ${contested}`)).rows);
    expect(held).toEqual([{ org_id: winner.id }]);

    // An org leaving a slug while another claims it: the slug stays with the first, whichever runs first.
    const [leaving, claiming] = await Promise.all([signUp(), signUp()]);
    const [from, to] = await Promise.all([createOrg(leaving.client), createOrg(claiming.client)]);
    const [left, claimed] = await Promise.all([changeSlug(leaving.client, from.id, `left-${tag()}`), changeSlug(claiming.client, to.id, from.slug)]);
    expect([left.status, claimed.status]).toEqual([200, 409]);
  });
});

describe("members and roles", () => {
  it("lets admins change roles, but only owners grant or take away owner", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const other = await joinOrg(owner.client, org.id, "member");
    await expectJson(call(admin.client, `/api/orgs/${org.id}/members/${member.user.id}`, { method: "PATCH", body: { role: "admin" } }), 200);
    const grant = await expectJson<ApiError>(call(admin.client, `/api/orgs/${org.id}/members/${other.user.id}`, { method: "PATCH", body: { role: "owner" } }), 403);
    expect(grant.error.code).toBe("owner_required");
    const takeAway = await expectJson<ApiError>(call(admin.client, `/api/orgs/${org.id}/members/${owner.user.id}`, { method: "PATCH", body: { role: "admin" } }), 403);
    expect(takeAway.error.code).toBe("owner_required");
    const plain = await expectJson<ApiError>(call(other.client, `/api/orgs/${org.id}/members/${admin.user.id}`, { method: "PATCH", body: { role: "member" } }), 403);
    expect(plain.error.code).toBe("forbidden");
    await expectJson(call(owner.client, `/api/orgs/${org.id}/members/${other.user.id}`, { method: "PATCH", body: { role: "owner" } }), 200);
    expect(await members(owner.client, org.id)).toEqual({
      [owner.user.id]: "owner",
      [admin.user.id]: "admin",
      [member.user.id]: "admin",
      [other.user.id]: "owner",
    });
    const missing = await expectJson<ApiError>(call(owner.client, `/api/orgs/${org.id}/members/${crypto.randomUUID()}`, { method: "PATCH", body: { role: "admin" } }), 404);
    expect(missing.error.code).toBe("member_not_found");
  });

  it("never leaves an org without an owner: the last one cannot leave, be removed or be demoted", async () => {
    const { org, owner, admin } = await orgWithRoles();
    const before = await orgState(org.id);
    const demote = await expectJson<ApiError>(call(owner.client, `/api/orgs/${org.id}/members/${owner.user.id}`, { method: "PATCH", body: { role: "admin" } }), 409);
    expect(demote.error).toMatchObject({ code: "last_owner", message: expect.stringContaining("last owner cannot be demoted") });
    const leave = await expectJson<ApiError>(call(owner.client, `/api/orgs/${org.id}/members/${owner.user.id}`, { method: "DELETE" }), 409);
    expect(leave.error.message).toContain("last owner cannot leave");
    expect((await expectJson<ApiError>(call(admin.client, `/api/orgs/${org.id}/members/${owner.user.id}`, { method: "DELETE" }), 403)).error.code).toBe("owner_required");
    expect(await orgState(org.id)).toEqual(before);

    // With a second owner, the first may go.
    await expectJson(call(owner.client, `/api/orgs/${org.id}/members/${admin.user.id}`, { method: "PATCH", body: { role: "owner" } }), 200);
    expect((await call(owner.client, `/api/orgs/${org.id}/members/${owner.user.id}`, { method: "DELETE" })).status).toBe(204);
    await expectJson(call(owner.client, `/api/orgs/${org.id}`), 404);
    const last = await expectJson<ApiError>(call(admin.client, `/api/orgs/${org.id}/members/${admin.user.id}`, { method: "DELETE" }), 409);
    expect(last.error.code).toBe("last_owner");
  });

  it("keeps one owner when two owners demote each other at the same time", async () => {
    const { org, owner, admin } = await orgWithRoles();
    await expectJson(call(owner.client, `/api/orgs/${org.id}/members/${admin.user.id}`, { method: "PATCH", body: { role: "owner" } }), 200);
    const [a, b] = await Promise.all([
      call(owner.client, `/api/orgs/${org.id}/members/${admin.user.id}`, { method: "PATCH", body: { role: "member" } }),
      call(admin.client, `/api/orgs/${org.id}/members/${owner.user.id}`, { method: "PATCH", body: { role: "member" } }),
    ]);
    // Serialized on the org's row: the second sees it has just been demoted and may no longer demote.
    expect([a.status, b.status].sort()).toEqual([200, 403]);
    const roles = Object.values(await members(a.status === 200 ? owner.client : admin.client, org.id));
    expect(roles.filter((r) => r === "owner")).toHaveLength(1);
  });

  it("lets admins remove others and anyone leave; removal also takes them out of the org's projects", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const project = await expectJson<{ id: string }>(call(owner.client, `/api/orgs/${org.id}/projects`, { body: { name: "P", visibility: "members" } }), 201);
    await expectJson(call(owner.client, `/api/orgs/${org.id}/projects/${project.id}/members/${member.user.id}`, { method: "PUT", body: { role: "member" } }), 200);
    const plain = await joinOrg(owner.client, org.id, "member");
    expect((await expectJson<ApiError>(call(plain.client, `/api/orgs/${org.id}/members/${member.user.id}`, { method: "DELETE" }), 403)).error.code).toBe("forbidden");
    expect((await call(admin.client, `/api/orgs/${org.id}/members/${member.user.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(plain.client, `/api/orgs/${org.id}/members/${plain.user.id}`, { method: "DELETE" })).status).toBe(204);
    expect(Object.keys(await members(owner.client, org.id)).sort()).toEqual([owner.user.id, admin.user.id].sort());
    const state = (await orgState(org.id)) as { projectMembers: { user_id: string }[] };
    expect(state.projectMembers.map((m) => m.user_id)).toEqual([owner.user.id]);
    await expectJson(call(member.client, `/api/orgs/${org.id}/projects/${project.id}`), 404);
    expect(await auditActions(org.id)).toEqual(expect.arrayContaining(["org.member.remove", "org.member.leave"]));
  });
});

describe("invitations", () => {
  it("emails a single-use 7-day link that the invited address accepts, case-insensitively", async () => {
    const { client: owner, user: ownerUser } = await signUp({ name: "Olga" });
    const org = await createOrg(owner, "Invites Inc");
    const invitee = await signUp();
    const invitation = await expectJson<{ id: string; email: string; role: string; expiresAt: string; invitedBy: string }>(
      call(owner, `/api/orgs/${org.id}/invitations`, { body: { email: invitee.email.toUpperCase(), role: "admin" } }),
      201,
    );
    expect(invitation).toMatchObject({ email: invitee.email, role: "admin", invitedBy: ownerUser.id });
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const [message] = await mailbox(invitee.email);
    expect(message?.subject).toBe("Olga invited you to Invites Inc on Kiln");
    expect(message?.text).toMatch(/http:\/\/kiln\.test\/invitations\/accept\?token=[A-Za-z0-9_-]{43}\b/);
    const token = await tokenFromEmail(invitee.email, /invited you/);
    const stored = await withDb(async (db) => (await db.execute<{ token_hash: string }>(sql`select token_hash from invitations where id = ${invitation.id}`)).rows[0]!.token_hash);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(token);

    const pending = await expectJson<{ invitations: { id: string }[] }>(call(owner, `/api/orgs/${org.id}/invitations`), 200);
    expect(pending.invitations.map((i) => i.id)).toEqual([invitation.id]);

    // Someone else holding the link cannot use it.
    const stranger = await signUp({ confirmed: true });
    const mismatch = await expectJson<ApiError>(call(stranger.client, "/api/invitations/accept", { body: { token } }), 403);
    expect(mismatch.error.code).toBe("invitation_email_mismatch");

    // Not even the invited address joins before it is confirmed: a squatter could have registered it.
    const unconfirmed = await expectJson<ApiError>(call(invitee.client, "/api/invitations/accept", { body: { token } }), 403);
    expect(unconfirmed.error).toMatchObject({ code: "email_unconfirmed", message: expect.stringContaining("Confirm your email address") });
    await confirmEmail(invitee);
    const accepted = await expectJson<{ org: Org }>(call(invitee.client, "/api/invitations/accept", { body: { token } }), 200);
    expect(accepted.org).toMatchObject({ id: org.id, role: "admin" });
    const again = await expectJson<ApiError>(call(invitee.client, "/api/invitations/accept", { body: { token } }), 409);
    expect(again.error.code).toBe("invitation_used");
    expect((await expectJson<{ invitations: unknown[] }>(call(owner, `/api/orgs/${org.id}/invitations`), 200)).invitations).toEqual([]);
    expect(await auditActions(org.id)).toEqual(["org.create", "org.invitation.create", "org.invitation.accept"]);
  });

  it("shows what a link offers before signing in: the org, who invited, the role and the address", async () => {
    const { client: owner } = await signUp({ name: "Olga Owner" });
    const org = await createOrg(owner, "Preview Labs");
    const email = `invitee-${crypto.randomUUID().slice(0, 8)}@kiln.test`;
    const created = await expectJson<{ id: string }>(call(owner, `/api/orgs/${org.id}/invitations`, { body: { email, role: "admin" } }), 201);
    const token = await tokenFromEmail(email, /invited you/);
    // Signed out: the link is enough.
    const preview = (t: string) => call(newClient(), "/api/invitations/preview", { body: { token: t } });
    const shown = await expectJson<Record<string, unknown>>(preview(token), 200);
    expect(shown).toEqual({ org: { id: org.id, name: "Preview Labs" }, invitedBy: { name: "Olga Owner" }, role: "admin", email, state: "pending", expiresAt: expect.any(String) });
    expect((await expectJson<ApiError>(preview("not-a-token"), 404)).error.code).toBe("invitation_not_found");
    await withDb((db) => db.execute(sql`update invitations set expires_at = now() - interval '1 minute' where id = ${created.id}`));
    expect((await expectJson<{ state: string }>(preview(token), 200)).state).toBe("expired");
    // Looking changes nothing.
    expect(await auditActions(org.id)).toEqual(["org.create", "org.invitation.create"]);
  });

  it("refuses expired, unknown and revoked invitations with a clear error", async () => {
    const { client: owner } = await signUp();
    const org = await createOrg(owner);
    const invitee = await signUp({ confirmed: true });
    const created = await expectJson<{ id: string }>(call(owner, `/api/orgs/${org.id}/invitations`, { body: { email: invitee.email, role: "member" } }), 201);
    const token = await tokenFromEmail(invitee.email, /invited you/);
    await withDb((db) => db.execute(sql`update invitations set expires_at = now() - interval '1 minute' where id = ${created.id}`));
    const expired = await expectJson<ApiError>(call(invitee.client, "/api/invitations/accept", { body: { token } }), 410);
    expect(expired.error).toMatchObject({ code: "invitation_expired", message: expect.stringContaining("expired") });
    expect((await expectJson<ApiError>(call(invitee.client, "/api/invitations/accept", { body: { token: "nope" } }), 404)).error.code).toBe("invitation_not_found");

    await expectJson(call(owner, `/api/orgs/${org.id}/invitations`, { body: { email: invitee.email, role: "member" } }), 201);
    const second = await expectJson<{ invitations: { id: string }[] }>(call(owner, `/api/orgs/${org.id}/invitations`), 200);
    expect(second.invitations).toHaveLength(1);
    const fresh = await tokenFromEmail(invitee.email, /invited you/);
    expect((await call(owner, `/api/orgs/${org.id}/invitations/${second.invitations[0]!.id}`, { method: "DELETE" })).status).toBe(204);
    await expectJson(call(owner, `/api/orgs/${org.id}/invitations/${second.invitations[0]!.id}`, { method: "DELETE" }), 404);
    await expectJson(call(invitee.client, "/api/invitations/accept", { body: { token: fresh } }), 404);
    await expectJson(call(invitee.client, `/api/orgs/${org.id}`), 404);
  });

  it("lets only admins invite, only owners invite owners, and not someone already in", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const email = `new-${crypto.randomUUID().slice(0, 8)}@kiln.test`;
    const before = await orgState(org.id);
    expect((await expectJson<ApiError>(call(member.client, `/api/orgs/${org.id}/invitations`, { body: { email, role: "member" } }), 403)).error.code).toBe("forbidden");
    expect((await expectJson<ApiError>(call(admin.client, `/api/orgs/${org.id}/invitations`, { body: { email, role: "owner" } }), 403)).error.code).toBe("owner_required");
    expect((await expectJson<ApiError>(call(admin.client, `/api/orgs/${org.id}/invitations`, { body: { email: member.email, role: "admin" } }), 409)).error.code).toBe("already_member");
    expect((await expectJson<ApiError>(call(member.client, `/api/orgs/${org.id}/invitations`), 403)).error.code).toBe("forbidden");
    expect(await orgState(org.id)).toEqual(before);
    expect(await mailbox(email)).toEqual([]);
    await expectJson(call(owner.client, `/api/orgs/${org.id}/invitations`, { body: { email, role: "owner" } }), 201);
  });

  it("keeps no invitation when its email cannot be sent", async () => {
    const { client } = await signUp();
    const org = await createOrg(client);
    const email = `unsent-${crypto.randomUUID().slice(0, 8)}@kiln.test`;
    // The HTTP provider without its API key fails to send, as a provider outage would.
    const res = await app.request(
      `${ORIGIN}/api/orgs/${org.id}/invitations`,
      { method: "POST", headers: { cookie: client.cookie!, origin: ORIGIN, "content-type": "application/json", "cf-connecting-ip": client.ip }, body: JSON.stringify({ email, role: "member" }) },
      { ...env, EMAIL_PROVIDER: "http", EMAIL_API_KEY: undefined },
    );
    expect(res.status).toBe(503);
    expect(((await res.json()) as ApiError).error.code).toBe("email_unavailable");
    expect((await expectJson<{ invitations: unknown[] }>(call(client, `/api/orgs/${org.id}/invitations`), 200)).invitations).toEqual([]);
    expect(await auditActions(org.id)).toEqual(["org.create", "org.invitation.create", "org.invitation.revoke"]);
  });
});
