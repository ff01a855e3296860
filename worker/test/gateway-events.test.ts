/**
 * Events over HTTP (API keys and scripts) and the org's event log: through the worker
 * (authentication, Postgres membership) to the gateway (its own membership copy, modules).
 */
import { describe, expect, it } from "vitest";
import { TestClient } from "../../gateway-do/test/yjs-client";
import { nodesOf } from "../../gateway-do/src/modules/core-graph";
import { type ApiError, call, expectJson, newClient, signUp } from "./helpers";
import { createOrg, createProject, joinOrg, keyClient, orgWithRoles } from "./org-helpers";

const eventsPath = (org: string, project: string) => `/gw/${org}/projects/${project}/events`;

describe("POST /gw/{org}/projects/{project}/events", () => {
  it("runs an event for an API key and sends the change to the project's sockets", async () => {
    const { org, owner, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const watcher = await TestClient.open(org.id, project.id, owner.user.id);
    const script = await keyClient(member, ["projects:write"]);
    const ack = await expectJson<{ requestId: string; ok: boolean }>(
      call(script, eventsPath(org.id, project.id), { body: { type: "notes:create", requestId: "script-1", viewId: "main", text: "from a script" } }),
      200,
    );
    expect(ack).toEqual({ requestId: "script-1", ok: true });
    await watcher.until(() => [...nodesOf(watcher.doc).values()].some((n) => n.kind === "note"), "the note reaches the socket");
    watcher.close();
  });

  it("answers refusals with the HTTP status of their kind", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const path = eventsPath(org.id, project.id);
    const invalid = await expectJson<ApiError>(call(owner.client, path, { body: { type: "notes:create", requestId: "r1", x: "left" } }), 400);
    expect(invalid.error).toMatchObject({ code: "invalid_payload", fields: { x: expect.any(Array) } });
    expect((await expectJson<ApiError>(call(owner.client, path, { body: { type: "nope:never", requestId: "r2" } }), 400)).error.code).toBe("unknown_event");
    expect((await expectJson<ApiError>(call(owner.client, path, { body: { type: "whiteboard:rename-view", requestId: "r3", viewId: "ghost", name: "x" } }), 404)).error.code).toBe("not_found");
    expect((await expectJson<ApiError>(call(owner.client, path, { body: { type: "whiteboard:delete-view", requestId: "r4", viewId: "main" } }), 409)).error.code).toBe("last_view");
    // A request id names one event: a retry gets the same answer, another event is refused.
    expect((await expectJson<ApiError>(call(owner.client, path, { body: { type: "whiteboard:delete-view", requestId: "r4", viewId: "main" } }), 409)).error.code).toBe("last_view");
    expect((await expectJson<ApiError>(call(owner.client, path, { body: { type: "notes:create", requestId: "r4", viewId: "main" } }), 409)).error.code).toBe("request_id_reused");
    // A module's own code answers the status the module declares (it fell back to an undeclared 422).
    await expectJson(call(owner.client, path, { body: { type: "notes:create", requestId: "r5", id: "self-loop-note", viewId: "main" } }), 200);
    const loop = { type: "core-graph:connect", requestId: "r6", from: "self-loop-note", to: "self-loop-note", kind: "references" };
    expect((await expectJson<ApiError>(call(owner.client, path, { body: loop }), 400)).error.code).toBe("invalid_edge");
  });

  it("refuses outsiders, members-only projects they are not in, and keys without the scope", async () => {
    const { org, owner, member } = await orgWithRoles();
    const closed = await createProject(owner.client, org.id, "members");
    const body = { type: "notes:create", requestId: "r", viewId: "main" };
    const outsider = await signUp();
    await expectJson(call(outsider.client, eventsPath(org.id, closed.id), { body }), 404);
    await expectJson(call(member.client, eventsPath(org.id, closed.id), { body }), 404);
    const readOnlyKey = await keyClient(owner, ["projects:read"]);
    expect((await expectJson<ApiError>(call(readOnlyKey, eventsPath(org.id, closed.id), { body }), 403)).error.code).toBe("insufficient_scope");
    await expectJson(call(newClient(), eventsPath(org.id, closed.id), { body }), 401);
  });
});

describe("GET /gw/{org}/event-log", () => {
  it("pages every event with its actor and outcome, for org admins only", async () => {
    const owner = await signUp();
    const org = await createOrg(owner.client);
    const member = await joinOrg(owner.client, org.id, "member");
    const project = await createProject(owner.client, org.id, "org");
    for (let i = 0; i < 3; i++) await expectJson(call(member.client, eventsPath(org.id, project.id), { body: { type: "notes:create", requestId: `ok-${i}`, viewId: "main" } }), 200);
    await expectJson(call(member.client, eventsPath(org.id, project.id), { body: { type: "roles:create-role", requestId: "denied", name: "X", permissions: [] } }), 403);

    const first = await expectJson<{ entries: { requestId: string; ok: boolean; userId: string; type: string; errorCode: string | null }[]; nextBefore: number | null }>(
      call(owner.client, `/gw/${org.id}/event-log?limit=2`),
      200,
    );
    expect(first.entries.map((e) => [e.requestId, e.ok, e.errorCode])).toEqual([["denied", false, "forbidden"], ["ok-2", true, null]]);
    expect(first.entries[0]).toMatchObject({ userId: member.user.id, type: "roles:create-role" });
    const second = await expectJson<{ entries: { requestId: string }[]; nextBefore: number | null }>(call(owner.client, `/gw/${org.id}/event-log?limit=5&before=${first.nextBefore}`), 200);
    expect(second.entries.map((e) => e.requestId)).toEqual(["ok-1", "ok-0"]);
    expect(second.nextBefore).toBeNull();
    await expectJson(call(member.client, `/gw/${org.id}/event-log`), 403);
  });
});
