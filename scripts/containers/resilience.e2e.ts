/**
 * What must survive (issue #16), on the whole platform (`platform.ts`) with the literal
 * `docker run`: the bridge restarting loses no route and no container (the gateway's snapshot
 * gives the routes back, the container's OpenVPN reconnects by itself on its ping-restart),
 * and the board's Stop sticks although the container runs with `--restart unless-stopped`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./exec.ts";
import { Platform } from "./platform.ts";

if (process.getuid?.() !== 0) throw new Error("the container tests need root (network namespaces, podman, OpenVPN): run `sudo npm run test:containers`");

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

describe("a running container through a bridge restart and the board's stop", () => {
  let platform: Platform;
  let c: { id: string; host: string; address: string; cookie: string };
  const docker = (command: string) => platform.docker(command);
  const logsOf = async (id: string) => (await docker(`docker logs kiln-${id}`)).stdout;
  /** `{status} {restart count} {started at}`: a container Docker restarted differs in the last two. */
  const dockerState = async (id: string) => (await docker(`docker inspect -f '{{.State.Status}} {{.RestartCount}} {{.State.StartedAt}}' kiln-${id}`)).stdout.trim();
  const count = (text: string, needle: string) => text.split(needle).length - 1;
  /** Polls until the member's cookie gets 200 (an unreachable Nginx counts as not yet). */
  const until200 = (what: string, timeoutMs: number) =>
    waitFor(what, async () => ((await platform.visit(c.host, "/api", { cookie: c.cookie }).catch(() => ({ status: 0 }))).status === 200 ? true : null), timeoutMs, 100);

  beforeAll(async () => {
    platform = await Platform.start({ work: `/tmp/kiln-containers-resilience-${process.pid}` });
    const created = await platform.create("resilient");
    const { id } = created.container;
    const ran = await docker(created.command);
    expect(ran.code, ran.stderr).toBe(0);
    await platform.waitState(id, "running", 60_000);
    const host = platform.host(id, "jupyter");
    // Ada, its owner (Jupyter opens for those who may type in the container): the cookie a visitor holds across everything below.
    const cookie = await platform.signIn(host, platform.people.ada.session());
    c = { id, host, address: (await platform.status(id)).address!, cookie };
    await until200("Ada's first 200", 60_000);
  }, 900_000);

  afterAll(async () => {
    await platform?.close();
  }, 180_000);

  it("the bridge restarts (SIGTERM, same state dir and key): routes come back from the gateway, the container's OpenVPN reconnects by itself, the same cookie gets 200 at the same address", async () => {
    const before = await dockerState(c.id);
    const { stoppedAt, readyAt } = await platform.restartBridge();
    console.log(`   bridge stopped, then ready again in ${seconds(readyAt - stoppedAt)}`);
    // Back through the new bridge: a `connected` or a report it relayed after the old one was gone.
    const seen = new Set<string>();
    await waitFor(
      "running, seen since the restart",
      async () => {
        const status = await platform.status(c.id);
        seen.add(status.state);
        return status.state === "running" && (status.lastSeen ?? 0) > stoppedAt ? true : null;
      },
      90_000,
      100,
    );
    const runningAt = Date.now();
    await until200("Ada's 200 again", 30_000);
    const okAt = Date.now();
    console.log(`   bridge stop → running ${seconds(runningAt - stoppedAt)} (states seen: ${[...seen].join(", ")}), → Ada's 200 ${seconds(okAt - stoppedAt)}; after ready: ${seconds(okAt - readyAt)}`);
    expect((await platform.status(c.id)).address).toBe(c.address);
    // By itself: the same agent process, one profile fetched, its OpenVPN up twice; Docker restarted nothing.
    expect(await dockerState(c.id)).toBe(before);
    const logs = await logsOf(c.id);
    expect(count(logs, "VPN profile received")).toBe(1);
    expect(count(logs, "VPN up: kiln0")).toBe(2);
    expect(logs).not.toMatch(/openvpn exited/);
  }, 180_000);

  it("the board's Stop sticks: stopped for 15 s while Docker keeps the parked container running; docker restart brings it back at the same address", async () => {
    const t0 = Date.now();
    await platform.stopOnBoard(c.id);
    await platform.waitState(c.id, "stopped", 5_000);
    // The agent hears it in its next report's answer, says goodbye, stops its services and OpenVPN, and parks.
    const parkLine = `stopped from the board; to start it again: docker restart kiln-${c.id}`;
    await waitFor("the agent parked", async () => (await logsOf(c.id)).includes(parkLine) || null, 20_000, 200);
    const parkedAt = Date.now();
    console.log(`   board stop → stopped at once, the agent parked after ${seconds(parkedAt - t0)}`);
    const parked = await dockerState(c.id);
    expect(parked).toMatch(/^running /);
    const logs = await logsOf(c.id);
    expect(logs).toMatch(/goodbye delivered/);
    expect(logs).not.toMatch(/stopped \(exit/);
    // Sticks: were the agent to exit, Docker would start it again and it would join (connecting, running).
    const states: string[] = [];
    await waitFor("15 s of stopped", async () => {
      const state = (await platform.status(c.id)).state;
      if (states.at(-1) !== state) console.log(`   ${seconds(Date.now() - t0)} after the stop: ${state}`);
      states.push(state);
      return Date.now() - parkedAt >= 15_000 || null;
    }, 20_000, 250);
    expect(new Set(states)).toEqual(new Set(["stopped"]));
    expect(states.length).toBeGreaterThan(20);
    expect(await dockerState(c.id)).toBe(parked);
    const listed = await docker(`docker ps --filter name=kiln-${c.id} --format '{{.Names}} {{.Status}}'`);
    expect(listed.stdout).toMatch(new RegExp(`^kiln-${c.id} Up`));
    expect((await platform.visit(c.host, "/api", { cookie: c.cookie })).status).toBe(503);

    const t1 = Date.now();
    const restarted = await docker(`docker restart kiln-${c.id}`);
    expect(restarted.code, restarted.stderr).toBe(0);
    await platform.waitState(c.id, "running", 60_000);
    await until200("Ada's 200 after docker restart", 60_000);
    console.log(`   docker restart → running and 200 ${seconds(Date.now() - t1)}`);
    expect((await platform.status(c.id)).address).toBe(c.address);
    expect(await logsOf(c.id)).toContain("stopped (exit 0)");
  }, 180_000);
});
