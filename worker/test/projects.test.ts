import { describe, expect, it } from "vitest";
import { TestClient } from "../../gateway-do/test/yjs-client";
import { type ApiError, call, expectJson, signUp } from "./helpers";
import { type Project, auditActions, createOrg, createProject, joinOrg, orgState, orgWithRoles } from "./org-helpers";

const names = (list: { projects: Project[] }) => list.projects.map((p) => p.name);

describe("projects", () => {
  it("makes the creator project admin and keeps names unique per org", async () => {
    const { org, member } = await orgWithRoles();
    const project = await createProject(member.client, org.id, "members", "Roadmap");
    expect(project).toMatchObject({ name: "Roadmap", visibility: "members", role: "admin" });
    const dup = await expectJson<ApiError>(call(member.client, `/api/orgs/${org.id}/projects`, { body: { name: "Roadmap", visibility: "org" } }), 409);
    expect(dup.error.code).toBe("project_name_taken");
    // Another org may use the name.
    const other = await createOrg(member.client);
    await createProject(member.client, other.id, "org", "Roadmap");
    const second = await createProject(member.client, org.id, "org", "Second");
    const rename = await expectJson<ApiError>(call(member.client, `/api/orgs/${org.id}/projects/${second.id}`, { method: "PATCH", body: { name: "Roadmap" } }), 409);
    expect(rename.error.code).toBe("project_name_taken");
    expect(await auditActions(org.id)).toEqual(expect.arrayContaining(["project.create"]));
  });

  it("shows org projects to every member, members-only projects to their members and org admins", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const outsider = await joinOrg(owner.client, org.id, "member");
    await createProject(owner.client, org.id, "org", "A open");
    const secret = await createProject(member.client, org.id, "members", "B secret");
    const list = (who: { client: Parameters<typeof call>[0] }) => expectJson<{ projects: Project[] }>(call(who.client, `/api/orgs/${org.id}/projects`), 200);
    expect(names(await list(owner))).toEqual(["A open", "B secret"]);
    expect(names(await list(admin))).toEqual(["A open", "B secret"]);
    expect(names(await list(member))).toEqual(["A open", "B secret"]);
    expect(names(await list(outsider))).toEqual(["A open"]);
    expect((await expectJson<ApiError>(call(outsider.client, `/api/orgs/${org.id}/projects/${secret.id}`), 404)).error.code).toBe("project_not_found");
    expect((await expectJson<Project>(call(admin.client, `/api/orgs/${org.id}/projects/${secret.id}`), 200)).role).toBeNull();

    // Making it visible to the org shows it to everyone.
    await expectJson(call(member.client, `/api/orgs/${org.id}/projects/${secret.id}`, { method: "PATCH", body: { visibility: "org" } }), 200);
    expect(names(await list(outsider))).toEqual(["A open", "B secret"]);
  });

  it("lets project admins and org admins change and delete a project, and no one else", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org", "Shared");
    await expectJson(call(owner.client, `/api/orgs/${org.id}/projects/${project.id}/members/${member.user.id}`, { method: "PUT", body: { role: "member" } }), 200);
    const before = await orgState(org.id);
    for (const body of [{ name: "Nope" }, { visibility: "members" }]) {
      expect((await expectJson<ApiError>(call(member.client, `/api/orgs/${org.id}/projects/${project.id}`, { method: "PATCH", body }), 403)).error.code).toBe("forbidden");
    }
    await expectJson(call(member.client, `/api/orgs/${org.id}/projects/${project.id}`, { method: "DELETE" }), 403);
    expect(await orgState(org.id)).toEqual(before);
    const changed = await expectJson<Project>(call(admin.client, `/api/orgs/${org.id}/projects/${project.id}`, { method: "PATCH", body: { name: "Renamed", visibility: "members" } }), 200);
    expect(changed).toMatchObject({ name: "Renamed", visibility: "members" });
    // Promoted to project admin, the member may delete it.
    await expectJson(call(owner.client, `/api/orgs/${org.id}/projects/${project.id}/members/${member.user.id}`, { method: "PUT", body: { role: "admin" } }), 200);
    expect((await call(member.client, `/api/orgs/${org.id}/projects/${project.id}`, { method: "DELETE" })).status).toBe(204);
    await expectJson(call(owner.client, `/api/orgs/${org.id}/projects/${project.id}`), 404);
    expect(await auditActions(org.id)).toEqual(expect.arrayContaining(["project.update", "project.member.add", "project.member.role", "project.delete"]));
  });
});

describe("project members", () => {
  it("adds only org members, changes roles, removes, and lets a member leave", async () => {
    const { org, owner, member } = await orgWithRoles();
    const stranger = await signUp();
    const project = await createProject(owner.client, org.id, "members");
    const path = (user: string) => `/api/orgs/${org.id}/projects/${project.id}/members/${user}`;
    const notInOrg = await expectJson<ApiError>(call(owner.client, path(stranger.user.id), { method: "PUT", body: { role: "member" } }), 404);
    expect(notInOrg.error.code).toBe("member_not_found");
    const added = await expectJson<{ user: { id: string }; role: string }>(call(owner.client, path(member.user.id), { method: "PUT", body: { role: "member" } }), 200);
    expect(added).toMatchObject({ user: { id: member.user.id }, role: "member" });
    // A plain project member may see the list but not change it.
    const list = await expectJson<{ members: { user: { id: string }; role: string }[] }>(call(member.client, `/api/orgs/${org.id}/projects/${project.id}/members`), 200);
    expect(list.members.map((m) => [m.user.id, m.role]).sort()).toEqual([[owner.user.id, "admin"], [member.user.id, "member"]].sort());
    await expectJson(call(member.client, path(owner.user.id), { method: "DELETE" }), 403);
    await expectJson(call(member.client, path(member.user.id), { method: "PUT", body: { role: "admin" } }), 403);
    expect((await call(member.client, path(member.user.id), { method: "DELETE" })).status).toBe(204);
    await expectJson(call(member.client, `/api/orgs/${org.id}/projects/${project.id}`), 404);
    await expectJson(call(owner.client, path(member.user.id), { method: "DELETE" }), 404);
  });
});

describe("user search", () => {
  it("finds co-members by part of name or email, anyone else only by exact email", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const me = await signUp({ name: `Searcher ${tag}` });
    const org = await createOrg(me.client);
    const colleague = await joinOrg(me.client, org.id, "member", await signUp({ name: `Zed ${tag} colleague` }));
    const stranger = await signUp({ name: `Zed ${tag} stranger` });
    const search = async (q: string) =>
      (await expectJson<{ users: { id: string; email: string; name: string }[] }>(call(me.client, `/api/users/search?q=${encodeURIComponent(q)}`), 200)).users.map((u) => u.id);
    expect(await search(`zed ${tag}`)).toEqual([colleague.user.id]);
    expect(await search(colleague.email.slice(0, 12))).toEqual([colleague.user.id]);
    expect(await search(stranger.email.slice(0, -2))).toEqual([]);
    expect(await search(stranger.email.toUpperCase())).toEqual([stranger.user.id]);
    // LIKE wildcards are literal: "%" matches nobody rather than everybody.
    expect(await search("%")).toEqual([]);
    const body = await expectJson<{ users: Record<string, unknown>[] }>(call(me.client, `/api/users/search?q=${colleague.email}`), 200);
    expect(Object.keys(body.users[0]!).sort()).toEqual(["avatarUrl", "email", "id", "name"]);
    expect((await expectJson<ApiError>(call(me.client, "/api/users/search?q="), 400)).error.fields).toHaveProperty("q");
  });

  it("returns at most 20", async () => {
    const owner = await signUp();
    const org = await createOrg(owner.client);
    await Promise.all(Array.from({ length: 21 }, () => joinOrg(owner.client, org.id, "member")));
    expect(((await orgState(org.id)) as { members: unknown[] }).members).toHaveLength(22);
    // Every test address ends so; only the org's 22 members may match a part of it.
    const all = await expectJson<{ users: unknown[] }>(call(owner.client, `/api/users/search?q=${encodeURIComponent("@kiln.test")}`), 200);
    expect(all.users).toHaveLength(20);
  }, 60_000);
});

describe("audit log", () => {
  it("shows admins the org's entries newest first, page by page, and hides them from members", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    for (const name of ["One", "Two", "Three"]) await createProject(owner.client, org.id, "org", name);
    const all = await auditActions(org.id);
    expect(all.length).toBeGreaterThanOrEqual(8);
    type Page = { entries: { id: number; action: string; actorUserId: string | null; targetType: string }[]; next: number | null };
    const seen: Page["entries"] = [];
    let next: number | null = null;
    do {
      const query: string = next === null ? "limit=3" : `limit=3&before=${next}`;
      const page: Page = await expectJson<Page>(call(admin.client, `/api/orgs/${org.id}/audit-log?${query}`), 200);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries);
      next = page.next;
    } while (next !== null);
    expect(seen.map((e) => e.action)).toEqual([...all].reverse());
    const ids = seen.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(seen[0]).toMatchObject({ action: "project.create", actorUserId: owner.user.id, targetType: "project" });
    expect((await expectJson<ApiError>(call(member.client, `/api/orgs/${org.id}/audit-log`), 403)).error.code).toBe("forbidden");
    for (const q of ["limit=0", "limit=101", "before=abc", "other=1"]) await expectJson(call(admin.client, `/api/orgs/${org.id}/audit-log?${q}`), 400);
  });

  it("names the people and projects its entries act on, former members too", async () => {
    const { org, owner, admin, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "members", "Named");
    await expectJson(call(owner.client, `/api/orgs/${org.id}/members/${member.user.id}`, { method: "PATCH", body: { role: "admin" } }), 200);
    await expectJson(call(owner.client, `/api/orgs/${org.id}/projects/${project.id}/members/${admin.user.id}`, { method: "PUT", body: { role: "member" } }), 200);
    expect((await call(owner.client, `/api/orgs/${org.id}/members/${admin.user.id}`, { method: "DELETE" })).status).toBe(204);
    type Page = { entries: { action: string; targetId: string | null; data: Record<string, unknown> | null }[]; people: Record<string, { name: string; email: string }>; projects: Record<string, { name: string }> };
    const page = await expectJson<Page>(call(owner.client, `/api/orgs/${org.id}/audit-log?limit=4`), 200);
    expect(page.entries.map((e) => e.action)).toEqual(["org.member.remove", "project.member.add", "org.member.role", "project.create"]);
    expect(page.entries[2]).toMatchObject({ targetId: member.user.id, data: { from: "member", to: "admin" } });
    expect(page.people[member.user.id]).toEqual({ name: member.user.name, email: member.email });
    // Removed from the org, the admin is still named in its history.
    expect(page.people[admin.user.id]).toEqual({ name: admin.user.name, email: admin.email });
    expect(page.people[owner.user.id]?.email).toBe(owner.email);
    expect(page.projects).toEqual({ [project.id]: { name: "Named" } });
  });
});

describe("what the projects page shows", () => {
  it("lists each project's last edit by a person, as the org's gateway reports it", async () => {
    const { org, owner, member } = await orgWithRoles();
    const edited = await createProject(owner.client, org.id, "org", "A edited");
    const untouched = await createProject(owner.client, org.id, "org", "B untouched");
    type Listed = Project & { lastEdit: { at: string; by: { id: string; name: string } | null } | null };
    const list = async () => (await expectJson<{ projects: Listed[] }>(call(owner.client, `/api/orgs/${org.id}/projects`), 200)).projects;
    expect((await list()).map((p) => p.lastEdit)).toEqual([null, null]);

    // Opening the board edits nothing; a note the member creates does.
    const watcher = await TestClient.open(org.id, edited.id, owner.user.id);
    watcher.close();
    expect((await list()).map((p) => p.lastEdit)).toEqual([null, null]);
    const before = Date.now();
    await expectJson(call(member.client, `/gw/${org.id}/projects/${edited.id}/events`, { body: { type: "notes:create", requestId: "n1", viewId: "main", text: "hello" } }), 200);
    const [first, second] = await list();
    expect(first!.lastEdit?.by).toEqual({ id: member.user.id, name: member.user.name || member.user.email });
    expect(Date.parse(first!.lastEdit!.at)).toBeGreaterThanOrEqual(before - 1_000);
    expect(second).toMatchObject({ id: untouched.id, lastEdit: null });
    // A refused event is no edit.
    await expectJson(call(owner.client, `/gw/${org.id}/projects/${untouched.id}/events`, { body: { type: "whiteboard:delete-view", requestId: "d1", viewId: "main" } }), 409);
    expect((await list())[1]!.lastEdit).toBeNull();
  });

  it("says why a project cannot be opened: outside the org, members only, or no such project", async () => {
    const { org, owner, member } = await orgWithRoles();
    const open = await createProject(owner.client, org.id, "org", "Open");
    const secret = await createProject(owner.client, org.id, "members", "Secret");
    const outsider = await signUp();
    const access = (who: { client: Parameters<typeof call>[0] }, orgId: string, projectId: string) => expectJson(call(who.client, `/api/orgs/${orgId}/projects/${projectId}/access`), 200);
    expect(await access(member, org.id, open.id)).toEqual({ access: "open" });
    expect(await access(owner, org.id, secret.id)).toEqual({ access: "open" });
    expect(await access(member, org.id, secret.id)).toEqual({ access: "no_access", reason: "members_only", org: { name: org.name } });
    expect(await access(member, org.id, crypto.randomUUID())).toEqual({ access: "not_found" });
    // Outside the org: that it exists, nothing of its projects, real or not, nor its name.
    expect(await access(outsider, org.id, secret.id)).toEqual({ access: "no_access", reason: "not_org_member", org: null });
    expect(await access(outsider, org.id, crypto.randomUUID())).toEqual({ access: "no_access", reason: "not_org_member", org: null });
    expect(await access(outsider, crypto.randomUUID(), secret.id)).toEqual({ access: "not_found" });
    // A project of another org under this org's id is not found.
    const other = await createOrg(member.client);
    const elsewhere = await createProject(member.client, other.id, "org");
    expect(await access(member, org.id, elsewhere.id)).toEqual({ access: "not_found" });
    // By the org's slug (the app's address): the same answers.
    expect(await access(member, org.slug, secret.id)).toEqual({ access: "no_access", reason: "members_only", org: { name: org.name } });
    expect(await access(owner, org.slug, secret.id)).toEqual({ access: "open" });
    expect(await access(outsider, org.slug, secret.id)).toEqual({ access: "no_access", reason: "not_org_member", org: null });
    expect(await access(member, other.slug, secret.id)).toEqual({ access: "not_found" });
    expect(await access(outsider, `no-such-${crypto.randomUUID().slice(0, 6)}`, secret.id)).toEqual({ access: "not_found" });
  });
});
