/**
 * Idle culling on a real gateway: the org's setting (admins and owners only), the alarm
 * stopping a running container nobody used for N minutes, and what keeps one awake (a
 * visitor's activity relayed by the bridge, a kernel's hold). Time passes by moving the
 * stored clocks back, then the alarm is triggered: no sleeps.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { holdAwake, releaseAwake } from "../src/modules/user-containers/records";
import { bridgeSocket, created, readRecord } from "./user-containers-fixtures";

type Stub = Awaited<ReturnType<typeof created>>["stub"];
const MINUTE = 60_000;

async function putSettings(stub: Stub, member: string, body: unknown) {
  return (await stub.moduleRequest({ module: "user-containers", method: "PUT", path: "/settings", query: {}, body, member, bearer: null })) as { status: number; body: unknown };
}

/** A container of alice's, running: joined and reported once. */
async function running() {
  const setup = await created();
  const bridge = await bridgeSocket(setup.org);
  await bridge.next("snapshot");
  bridge.send({ type: "connected", container: setup.container.id, connection: "1", address: "172.16.0.20" });
  bridge.send({ type: "report", container: setup.container.id, report: { kind: "beat", services: setup.container.services, metrics: null } });
  await bridge.next("route", (m) => m.route.state === "running");
  return { ...setup, bridge };
}

/** `minutes` pass with nobody using the container: its idle clock and the setting's moved back (the heartbeats stay fresh). */
async function idleFor(stub: Stub, minutes: number) {
  await runInDurableObject(stub, (_i, state) => {
    const then = Date.now() - minutes * MINUTE;
    state.storage.sql.exec("update user_containers_live set active_at = ?", then);
    state.storage.sql.exec("update user_containers_settings set since = ?", then);
  });
}

/** Frames from the bridge are handled in order: a token check answered means every frame before it was. */
async function settled(bridge: Awaited<ReturnType<typeof running>>["bridge"], container: string, token: string) {
  await bridge.checkToken(container, token, "report");
}

describe("idle culling", () => {
  it("is off by default, and only the org's admins and owners may set it, within bounds", async () => {
    const { stub, people } = await created();
    const read = (await stub.moduleRequest({ module: "user-containers", method: "GET", path: "/settings", query: {}, body: null, member: people.alice, bearer: null })) as { status: number; body: unknown };
    expect(read).toEqual({ status: 200, body: { idleMinutes: null } });
    expect(await putSettings(stub, people.alice, { idleMinutes: 30 })).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect(await putSettings(stub, people.owner, { idleMinutes: 2 })).toMatchObject({ status: 400, body: { error: { code: "invalid_settings" } } });
    expect(await putSettings(stub, people.owner, { idleMinutes: 30 })).toEqual({ status: 200, body: { idleMinutes: 30 } });
    const again = (await stub.moduleRequest({ module: "user-containers", method: "GET", path: "/settings", query: {}, body: null, member: people.bob, bearer: null })) as { status: number; body: unknown };
    expect(again.body).toEqual({ idleMinutes: 30 });
  });

  it("stops a running container nobody used for N minutes, tells the agent, and says why until it runs again", async () => {
    const { stub, people, projects, container, bridge } = await running();
    expect(await putSettings(stub, people.owner, { idleMinutes: 30 })).toMatchObject({ status: 200 });
    // 29 minutes: not yet.
    await idleFor(stub, 29);
    await runDurableObjectAlarm(stub);
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "running" });
    await idleFor(stub, 31);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await bridge.next("command", (m) => m.container === container.id && m.command === "stop");
    await bridge.next("route", (m) => m.route.state === "stopped");
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "stopped", stoppedIdle: { minutes: 30 } });
    // Started again (`docker restart`): it joins, and the reason is gone.
    bridge.inbox.splice(0);
    bridge.send({ type: "connected", container: container.id, connection: "2", address: "172.16.0.20" });
    await bridge.next("route", (m) => m.route.state === "connecting");
    const record = await readRecord(stub, projects.a, container.id);
    expect(record?.state).toBe("connecting");
    expect(record).not.toHaveProperty("stoppedIdle");
  });

  it("keeps a container awake while a kernel holds it, and counts from when the hold ends", async () => {
    const { stub, people, projects, container, bridge } = await running();
    expect(await putSettings(stub, people.owner, { idleMinutes: 10 })).toMatchObject({ status: 200 });
    await runInDurableObject(stub, (_i, state) => holdAwake(state.storage.sql, container.id, "kernel-1", Date.now()));
    await idleFor(stub, 60);
    await runDurableObjectAlarm(stub);
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "running" });
    // The cell ends: ten more minutes from now, not from the last visitor an hour ago.
    await runInDurableObject(stub, (_i, state) => releaseAwake(state.storage.sql, container.id, "kernel-1", Date.now()));
    await runDurableObjectAlarm(stub);
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "running" });
    await idleFor(stub, 11);
    await runDurableObjectAlarm(stub);
    await bridge.next("route", (m) => m.route.state === "stopped");
  });

  it("drops a deleted container's holds with it", async () => {
    const { stub, projects, people, container } = await running();
    await runInDurableObject(stub, (_i, state) => holdAwake(state.storage.sql, container.id, "kernel-1", Date.now()));
    expect(await stub.applyEvent(projects.a, people.alice, { type: "user-containers:delete", requestId: crypto.randomUUID(), container: container.id })).toMatchObject({ ok: true });
    const holds = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("select * from user_containers_awake").toArray());
    expect(holds).toEqual([]);
  });

  it("keeps a container awake while visitors use it (activity relayed by the bridge)", async () => {
    const { stub, people, projects, container, bridge, token } = await running();
    expect(await putSettings(stub, people.owner, { idleMinutes: 5 })).toMatchObject({ status: 200 });
    await idleFor(stub, 60);
    bridge.send({ type: "activity", container: container.id });
    await settled(bridge, container.id, token);
    await runDurableObjectAlarm(stub);
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "running" });
    const activeAt = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ active_at: number }>("select active_at from user_containers_live").one().active_at);
    expect(Date.now() - activeAt).toBeLessThan(MINUTE);
  });

  it("never stops a container while the setting is off, nor after it is turned off", async () => {
    const { stub, people, projects, container } = await running();
    await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("update user_containers_live set active_at = ?", Date.now() - 7 * 24 * 60 * MINUTE));
    await runDurableObjectAlarm(stub);
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "running" });
    expect(await putSettings(stub, people.owner, { idleMinutes: 5 })).toMatchObject({ status: 200 });
    expect(await putSettings(stub, people.owner, { idleMinutes: null })).toEqual({ status: 200, body: { idleMinutes: null } });
    await idleFor(stub, 600);
    await runDurableObjectAlarm(stub);
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "running" });
  });

  it("does not stop at once what was idle before culling was turned on", async () => {
    const { stub, people, projects, container } = await running();
    await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("update user_containers_live set active_at = ?", Date.now() - 24 * 60 * MINUTE));
    expect(await putSettings(stub, people.owner, { idleMinutes: 5 })).toMatchObject({ status: 200 });
    await runDurableObjectAlarm(stub);
    expect(await readRecord(stub, projects.a, container.id)).toMatchObject({ state: "running" });
  });
});
