/**
 * What a module can declare beyond events, through a module built in the tests as one folder
 * (test/modules/tickets) on a gateway running it: private tables, a result only its sender
 * gets, a route for a non-member principal, events only that principal may send, an org
 * alarm that fires with no project open, and hooks for members leaving and projects going.
 */
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { MembershipSnapshot } from "../src/membership";
import { DocStore } from "../src/storage/doc-store";
import type { RouteAnswer } from "../src/host/module-host";
import { migrateModules } from "../src/host/module-storage";
import { TICKET_TTL_MS, ticketsOf } from "./modules/tickets";
import { nextVersion } from "./sockets";
import type { TestGatewayDO } from "./test-gateway";

const namespace = (env as unknown as { TEST_GATEWAY: DurableObjectNamespace<TestGatewayDO> }).TEST_GATEWAY;
const uuid = () => crypto.randomUUID();

async function testGateway() {
  const org = uuid();
  const people = { owner: uuid(), member: uuid() };
  const project = uuid();
  const snapshot: MembershipSnapshot = {
    org,
    version: nextVersion(),
    members: [
      { userId: people.owner, role: "owner" },
      { userId: people.member, role: "member" },
    ],
    projects: [{ id: project, visibility: "org", members: [] }],
  };
  const stub = await getServerByName(namespace, org);
  expect(await stub.syncMembership(snapshot)).toMatchObject({ applied: true });
  return { org, people, project, snapshot, stub };
}

/** The project's doc as storage holds it. */
async function storedDoc(stub: DurableObjectStub<TestGatewayDO>, project: string): Promise<{ doc: Y.Doc; bytes: Uint8Array[] }> {
  return runInDurableObject(stub, (_instance, state) => {
    const stored = new DocStore(state.storage.sql, (f) => state.storage.transactionSync(f)).read(project);
    const doc = new Y.Doc();
    const bytes = [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates];
    for (const u of bytes) Y.applyUpdate(doc, u);
    return { doc, bytes };
  });
}

async function mint(stub: DurableObjectStub<TestGatewayDO>, project: string, userId: string) {
  const ack = await stub.applyEvent(project, userId, { type: "tickets:create", requestId: uuid() });
  expect(ack).toMatchObject({ ok: true, result: { ticketId: expect.any(String), token: expect.any(String) } });
  return (ack as unknown as { result: { ticketId: string; token: string } }).result;
}

describe("a module's own storage, results, routes and principals", () => {
  it("returns a minted secret in the sender's ack only: the doc and the log never hold it, the table holds its hash", async () => {
    const { people, project, stub } = await testGateway();
    const { ticketId, token } = await mint(stub, project, people.member);
    const { doc, bytes } = await storedDoc(stub, project);
    expect(ticketsOf(doc).get(ticketId)).toEqual({ id: ticketId, owner: people.member, state: "live", beats: 0 });
    const text = new TextDecoder().decode(new Uint8Array(bytes.flatMap((b) => [...b])));
    expect(text).not.toContain(token);
    const rows = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ hash: string }>("select hash from tickets_hashes").toArray());
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hash).not.toContain(token);
    const log = await stub.eventLog({ limit: 5 });
    expect(JSON.stringify(log)).not.toContain(token);
  });

  it("answers a route to the principal the module authenticates, and to no one else", async () => {
    const { people, project, stub } = await testGateway();
    const { ticketId, token } = await mint(stub, project, people.member);
    const call = async (input: { method?: string; path?: string; member?: string | null; bearer?: string | null }): Promise<RouteAnswer> =>
      (await stub.moduleRequest({ module: "tickets", method: input.method ?? "GET", path: input.path ?? "/whoami", query: {}, body: null, member: input.member ?? null, bearer: input.bearer ?? null })) as RouteAnswer;
    expect(await call({ bearer: token })).toEqual({ status: 200, body: { principal: { kind: "container", id: ticketId } } });
    expect((await call({ bearer: `${token}x` })).status).toBe(401);
    expect((await call({})).status).toBe(401);
    // A member is a member, not a container: the route is not theirs.
    expect((await call({ member: people.member })).status).toBe(403);
    expect((await call({ member: uuid() })).status).toBe(404);
    expect((await call({ path: "/nothing", bearer: token })).status).toBe(404);
  });

  it("runs events a principal may send, and only those: a container beats, a member cannot", async () => {
    const { people, project, stub } = await testGateway();
    const { ticketId, token } = await mint(stub, project, people.member);
    const beat = await stub.moduleRequest({ module: "tickets", method: "POST", path: "/beat", query: {}, body: null, member: null, bearer: token });
    expect(beat).toMatchObject({ status: 200, body: { ok: true } });
    expect(await stub.applyEvent(project, people.owner, { type: "tickets:beat", requestId: uuid(), ticketId })).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: "A user cannot send tickets:beat." },
    });
    const { doc } = await storedDoc(stub, project);
    expect(ticketsOf(doc).get(ticketId)!.beats).toBe(1);
    const entries = (await stub.eventLog({ limit: 10 })).entries;
    expect(entries.find((e) => e.type === "tickets:beat" && e.ok)).toMatchObject({ actorKind: "container", userId: `container:${ticketId}` });
  });
});

describe("a module's alarm, with no project open", () => {
  it("fires at the time the module asked for and runs its system transition through the pipeline", async () => {
    const { people, project, stub } = await testGateway();
    const { ticketId } = await mint(stub, project, people.member);
    const alarm = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm());
    const expiry = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ expires_at: number }>("select expires_at from tickets_hashes").toArray()[0]!.expires_at);
    // The module asked for its ticket's expiry; the gateway's idle check (30 s) comes first while the room is loaded.
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(expiry);
    // Unload everything, move the ticket's expiry into the past, and let the alarm fire.
    await evictDurableObject(stub);
    await runInDurableObject(stub, (instance, state) => {
      expect(instance.loadedProjects()).toEqual([]);
      state.storage.sql.exec("update tickets_hashes set expires_at = ?", Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const { doc } = await storedDoc(stub, project);
    expect(ticketsOf(doc).get(ticketId)!.state).toBe("expired");
    const entries = (await stub.eventLog({ limit: 10 })).entries;
    expect(entries.find((e) => e.type === "tickets:expire")).toMatchObject({ ok: true, actorKind: "system", userId: "system:tickets" });
    const left = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("select * from tickets_hashes").toArray());
    expect(left).toEqual([]);
    expect(TICKET_TTL_MS).toBeGreaterThan(0);
  });
});

describe("a module's hooks", () => {
  it("revokes what a member held when they leave, and drops a deleted project's doc and data", async () => {
    const { people, project, snapshot, stub } = await testGateway();
    const mine = await mint(stub, project, people.member);
    const theirs = await mint(stub, project, people.owner);
    const whoami = async (token: string): Promise<RouteAnswer> => (await stub.moduleRequest({ module: "tickets", method: "GET", path: "/whoami", query: {}, body: null, member: null, bearer: token })) as RouteAnswer;
    expect((await whoami(mine.token)).status).toBe(200);
    await stub.syncMembership({ ...snapshot, version: nextVersion(), members: snapshot.members.filter((m) => m.userId !== people.member) });
    expect((await whoami(mine.token)).status).toBe(401);
    expect((await whoami(theirs.token)).status).toBe(200);

    await stub.syncMembership({ ...snapshot, version: nextVersion(), members: snapshot.members.filter((m) => m.userId !== people.member), projects: [] });
    expect((await whoami(theirs.token)).status).toBe(401);
    const { bytes } = await storedDoc(stub, project);
    expect(bytes).toEqual([]);
    expect(await runInDurableObject(stub, (instance) => instance.loadedProjects())).toEqual([]);
  });
});

describe("module storage", () => {
  it("runs each migration once, in order, and refuses a table outside the module's prefix", async () => {
    const stub = namespace.get(namespace.idFromName(uuid()));
    await runInDurableObject(stub, (_i, state) => {
      const sql = state.storage.sql;
      const transaction = (f: () => void) => state.storage.transactionSync(f);
      const module = { name: "my-mod", dependencies: [], events: {}, permissions: [], storage: { migrations: ["create table my_mod_a (x integer)"] } };
      migrateModules(sql, [module], transaction);
      migrateModules(sql, [module], transaction); // again: nothing to do (a second create would throw)
      migrateModules(sql, [{ ...module, storage: { migrations: [...module.storage.migrations, "alter table my_mod_a add column y integer"] } }], transaction);
      expect(sql.exec<{ name: string }>("pragma table_info(my_mod_a)").toArray().map((c) => c.name)).toEqual(["x", "y"]);
      expect(() => migrateModules(sql, [{ ...module, name: "other", storage: { migrations: ["create table my_mod_b (x integer)"] } }], transaction)).toThrow(/named other_/);
    });
  });
});
