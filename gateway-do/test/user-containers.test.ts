/**
 * The user-containers module on a real gateway: the state machine as a table, tokens (shown
 * once, hashed, revoked), the bridge's socket (snapshot, token checks, transitions as events
 * by the bridge), the heartbeat alarm firing with no project open, and revocation when the
 * owner leaves or the container goes.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CONTAINER_STATES } from "../../protocol/containers";
import { type Cause, HEARTBEAT_TIMEOUT_MS, transition } from "../src/modules/user-containers/machine";
import { pushSnapshot, nextVersion } from "./sockets";
import { bridgeSocket, created, gatewayOf, readRecord } from "./user-containers-fixtures";

const uuid = () => crypto.randomUUID();

describe("the container state machine", () => {
  // Every (state, cause) pair: the expected next state, or "-" for refused.
  const table: Record<string, Record<Cause, string>> = {
    created: { connected: "connecting", disconnected: "-", report: "-", goodbye: "-", timeout: "-", stop: "-", delete: "deleted" },
    connecting: { connected: "connecting", disconnected: "unreachable", report: "running", goodbye: "stopped", timeout: "unreachable", stop: "stopped", delete: "deleted" },
    running: { connected: "running", disconnected: "unreachable", report: "running", goodbye: "stopped", timeout: "unreachable", stop: "stopped", delete: "deleted" },
    unreachable: { connected: "connecting", disconnected: "unreachable", report: "running", goodbye: "stopped", timeout: "-", stop: "stopped", delete: "deleted" },
    stopped: { connected: "connecting", disconnected: "stopped", report: "-", goodbye: "stopped", timeout: "-", stop: "-", delete: "deleted" },
    deleted: { connected: "-", disconnected: "-", report: "-", goodbye: "-", timeout: "-", stop: "-", delete: "-" },
  };
  for (const state of CONTAINER_STATES) {
    it(`moves a ${state} container as the table says`, () => {
      for (const [cause, expected] of Object.entries(table[state]!) as [Cause, string][]) {
        const next = transition(state, cause);
        expect(next.ok ? next.state : "-", `${state} + ${cause}`).toBe(expected);
        if (!next.ok) expect(next).toMatchObject({ code: "illegal_transition", message: expect.stringContaining(state) });
      }
    });
  }
});

describe("user containers on the gateway", () => {
  it("shows the token once: in the creator's ack, never in the doc, the log or the table (a hash there)", async () => {
    const { stub, projects, container, token, org } = await created();
    expect(token).toMatch(new RegExp(`^kct\\.${org}\\.${container.id}\\.[A-Za-z0-9_-]{43}$`));
    expect(container).toMatchObject({ state: "created", services: [{ name: "jupyter", port: 8888, protocol: "http" }], share: "project" });
    const secret = token.split(".").at(-1)!;
    const rows = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ token_hash: string }>("select token_hash from user_containers_live").toArray());
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.token_hash).not.toContain(secret);
    const bytes = await runInDurableObject(stub, async (_i, state) => {
      const { DocStore } = await import("../src/storage/doc-store");
      const stored = new DocStore(state.storage.sql, (f) => state.storage.transactionSync(f)).read(projects.a);
      return [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates].map((u) => new TextDecoder().decode(u)).join("");
    });
    expect(bytes).toContain(container.id);
    expect(bytes).not.toContain(secret);
    expect(JSON.stringify(await stub.eventLog({ limit: 10 }))).not.toContain(secret);
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ id: container.id, state: "created" });
  });

  it("gives the bridge every route on connect, checks tokens, and moves the container by what the bridge reports", async () => {
    const { org, stub, projects, container, token } = await created();
    const bridge = await bridgeSocket(org);
    const snapshot = await bridge.next("snapshot");
    expect(snapshot.routes).toEqual([expect.objectContaining({ container: container.id, state: "created", share: "project", address: null })]);

    expect(await bridge.checkToken(container.id, token)).toMatchObject({ ok: true });
    // Another container's id, a forged secret, a token of another org: all refused.
    expect(await bridge.checkToken("aaaaaaaaaaaa", token)).toMatchObject({ ok: false });
    expect(await bridge.checkToken(container.id, `${token.slice(0, -2)}xx`)).toMatchObject({ ok: false });
    expect(await bridge.checkToken(container.id, token.replace(org, uuid()))).toMatchObject({ ok: false });

    bridge.send({ type: "connected", container: container.id, connection: "7", address: "172.16.0.10" });
    expect((await bridge.next("route", (m) => m.route.state === "connecting")).route.address).toBe("172.16.0.10");
    bridge.send({ type: "report", container: container.id, report: { kind: "beat", services: container.services, metrics: null } });
    await bridge.next("route", (m) => m.route.state === "running");
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "running", address: "172.16.0.10" });

    // A disconnect of an older session does not touch the new one.
    bridge.send({ type: "disconnected", container: container.id, connection: "6" });
    bridge.send({ type: "report", container: container.id, report: { kind: "goodbye", services: [], metrics: null } });
    await bridge.next("route", (m) => m.route.state === "stopped");
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "stopped" });
    // `docker start`: joins again with the same address.
    bridge.send({ type: "connected", container: container.id, connection: "8", address: "172.16.0.10" });
    await bridge.next("route", (m) => m.route.state === "connecting");
    const log = await stub.eventLog({ limit: 20 });
    expect(log.entries.filter((e) => e.type?.startsWith("user-containers:")).map((e) => e.type)).toEqual(
      expect.arrayContaining(["user-containers:create", "user-containers:connected", "user-containers:report", "user-containers:goodbye"]),
    );
  });

  it("flags a silent container unreachable from the alarm, with no project open", async () => {
    const { org, stub, projects, container } = await created();
    const bridge = await bridgeSocket(org);
    bridge.send({ type: "connected", container: container.id, connection: "1", address: "172.16.0.11" });
    await bridge.next("route", (m) => m.route.state === "connecting");
    // Time passes: the last heartbeat is older than the timeout.
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("update user_containers_live set last_seen = ?", Date.now() - HEARTBEAT_TIMEOUT_MS - 1);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await bridge.next("route", (m) => m.route.state === "unreachable");
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "unreachable" });
    // A heartbeat brings it back.
    bridge.send({ type: "report", container: container.id, report: { kind: "beat", services: [], metrics: null } });
    await bridge.next("route", (m) => m.route.state === "running");
  });

  it("refuses what the machine refuses, and what a person may not do", async () => {
    const { stub, projects, container, people } = await created();
    expect(await stub.applyEvent(projects.a, people.alice, { type: "user-containers:stop", requestId: uuid(), container: container.id })).toMatchObject({
      ok: false,
      error: { code: "illegal_transition" },
    });
    // The bridge's events are not a person's.
    expect(await stub.applyEvent(projects.a, people.alice, { type: "user-containers:connected", requestId: uuid(), container: container.id, address: "1.2.3.4", connection: "1" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
  });

  it("revokes the token when the container is deleted, and tells the bridge to drop it", async () => {
    const { org, stub, projects, container, token, people } = await created();
    const bridge = await bridgeSocket(org);
    await bridge.next("snapshot");
    expect(await stub.applyEvent(projects.a, people.alice, { type: "user-containers:delete", requestId: uuid(), container: container.id })).toMatchObject({ ok: true });
    await bridge.next("removed", (m) => m.container === container.id);
    expect(await bridge.checkToken(container.id, token)).toMatchObject({ ok: false });
    expect(await readRecord(stub, projects.a, container.id)).toBeUndefined();
  });

  it("revokes the token and the owner's cookies when the owner leaves the organization", async () => {
    const { org, stub, container, token, people, projects } = await created();
    const bridge = await bridgeSocket(org);
    await bridge.next("snapshot");
    await pushSnapshot({
      org,
      version: nextVersion(),
      members: [
        { userId: people.owner, role: "owner" },
        { userId: people.bob, role: "member" },
      ],
      projects: [
        { id: projects.a, visibility: "org", members: [] },
        { id: projects.b, visibility: "org", members: [] },
      ],
    });
    await bridge.next("revoke-users", (m) => m.users.includes(people.alice));
    await bridge.next("command", (m) => m.container === container.id && m.command === "stop");
    expect(await bridge.checkToken(container.id, token)).toMatchObject({ ok: false });
    void stub;
  });

  it("answers who may open a container by its share level", async () => {
    const { org, stub, container, people, projects } = await created({ share: "owner" });
    const access = async (userId: string) =>
      ((await stub.moduleRequest({ module: "user-containers", method: "GET", path: "/access", query: { container: container.id }, body: null, member: userId, bearer: null })) as { status: number }).status;
    expect(await access(people.alice)).toBe(200); // the owner
    expect(await access(people.owner)).toBe(200); // an org owner
    expect(await access(people.bob)).toBe(403);
    expect(await stub.applyEvent(projects.a, people.alice, { type: "user-containers:share", requestId: uuid(), container: container.id, share: "project" })).toMatchObject({ ok: true });
    expect(await access(people.bob)).toBe(200);
    // A stranger is not even asked: the gateway does not know them.
    expect(await access(uuid())).toBe(404);
    void org;
  });

  it("says who may type in a container's terminal: its owner and those granted :terminal; other members watch", async () => {
    const { stub, container, people } = await created({ share: "org" });
    const terminal = async (userId: string) =>
      ((await stub.moduleRequest({ module: "user-containers", method: "GET", path: "/access", query: { container: container.id }, body: null, member: userId, bearer: null })) as { status: number; body: { terminal?: boolean } }).body.terminal;
    expect(await terminal(people.alice)).toBe(true); // the owner
    expect(await terminal(people.owner)).toBe(true); // an org owner: every action
    expect(await terminal(people.bob)).toBe(false); // a member: opens, watches
  });

  it("opens a service that runs its visitors' code (Jupyter) only to those who may type in the container", async () => {
    const { stub, container, people } = await created({ share: "org" });
    expect(container.services).toEqual([expect.objectContaining({ name: "jupyter", runsCode: true })]);
    const access = async (userId: string, service?: string) =>
      (await stub.moduleRequest({ module: "user-containers", method: "GET", path: "/access", query: { container: container.id, ...(service ? { service } : {}) }, body: null, member: userId, bearer: null })) as { status: number; body: { error?: { message: string } } };
    expect((await access(people.alice, "jupyter")).status).toBe(200); // the owner
    expect((await access(people.owner, "jupyter")).status).toBe(200); // every action
    const bob = await access(people.bob, "jupyter");
    expect(bob.status).toBe(403);
    expect(bob.body.error?.message).toContain("runs the code its visitors send");
    // The container itself (and a service that does not run code) still opens for him.
    expect((await access(people.bob)).status).toBe(200);
    expect((await access(people.bob, "nosuchservice")).status).toBe(200);
  });

  it("refuses a bridge frame it cannot read without closing or harming the socket", async () => {
    const { org, container, token } = await created();
    const bridge = await bridgeSocket(org);
    await bridge.next("snapshot");
    bridge.ws.send("not json");
    expect(await bridge.next("error")).toMatchObject({ error: { code: "invalid_json" } });
    bridge.send({ type: "connected", container: "NOT-AN-ID" });
    expect(await bridge.next("error")).toMatchObject({ error: { code: "invalid_message" } });
    expect(await bridge.checkToken(container.id, token)).toMatchObject({ ok: true });
  });

  it("admits only a bridge principal to the bridge socket", async () => {
    const { org } = await created();
    const stub = await gatewayOf(org);
    for (const principal of [null, "user:someone", "container:x"]) {
      const headers: Record<string, string> = { upgrade: "websocket" };
      if (principal) headers["x-kiln-principal"] = principal;
      const res = await stub.fetch(new Request(`http://gw/gw/${org}/m/user-containers/bridge`, { headers }));
      const ws = res.webSocket!;
      const closedWith = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
      ws.accept();
      expect(await closedWith).toBe(principal ? 4003 : 4001);
    }
  });
});
