/**
 * The suite's main path without podman (issue #16): when podman is missing, or
 * `KILN_CONTAINER_RUNTIME=fallback` forces it (`npm run test:containers:fallback`), the literal
 * `docker run` line the API returns is read (image, `-e KEY=VALUE`) and its container runs as a
 * namespace in the user's machine with the same image rootfs. Everything else is the platform's
 * own: `npm start`, the real bridge with OpenVPN and Nginx, the three people.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDockerRun } from "./docker-run.ts";
import { waitFor } from "./exec.ts";
import type { LaunchedFallback } from "./fallback-launch.ts";
import { Platform } from "./platform.ts";
import { detectRuntime } from "./runtime.ts";

if (process.getuid?.() !== 0) throw new Error("the container tests need root (network namespaces, OpenVPN, mounts): run `sudo npm run test:containers:fallback`");

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(2)} s`;

describe("user containers without podman: the copied docker run as a namespace with the image rootfs", () => {
  let platform: Platform;
  let launched: LaunchedFallback;
  let c: { id: string; host: string; address: string };

  beforeAll(async () => {
    // Says out loud that podman is missing (or not used) and what runs instead.
    expect(detectRuntime()).toBe("fallback");
    platform = await Platform.start({ work: `/tmp/kiln-containers-fallback-${process.pid}`, runtime: "fallback" });
  }, 900_000);

  afterAll(async () => {
    await platform?.close();
  }, 180_000);

  it("runs the copied line's image and environment: the node turns running, and a member gets 200 through Nginx", async () => {
    const created = await platform.create("notebook");
    const { id } = created.container;
    const line = parseDockerRun(created.command);
    expect(line).toMatchObject({ name: `kiln-${id}`, image: "localhost/kiln-jupyter:1", env: { KILN_CONTAINER: id, KILN_TOKEN: created.token } });
    const t0 = Date.now();
    launched = await platform.runFallback(created.command);
    expect(launched.name).toBe(`kiln-${id}`);
    await platform.waitState(id, "running", 90_000);
    const toRunning = Date.now() - t0;
    const host = platform.host(id, "jupyter");
    // Ada, its owner (Jupyter opens for those who may type in the container).
    const adaCookie = await platform.signIn(host, platform.people.ada.session());
    await waitFor("Ada's first proxied 200", async () => ((await platform.visit(host, "/api", { cookie: adaCookie })).status === 200 ? true : null), 90_000, 100);
    console.log(`   fallback: line → running ${(toRunning / 1000).toFixed(2)} s, → Ada's first 200 through Nginx ${elapsed(t0)}`);
    const answer = await platform.visit(host, "/api", { cookie: adaCookie });
    expect(JSON.parse(answer.body)).toHaveProperty("version");
    // The agent ran with the line's environment: the container id and the bridge it names.
    const log = readFileSync(launched.logPath, "utf8");
    expect(log).toContain(`container ${id}, bridge ${line.env.KILN_BRIDGE}`);
    const { address } = await platform.status(id);
    expect(address).toMatch(new RegExp(`^172\\.29\\.${platform.octet}\\.`));
    expect(log).toContain(`VPN up: kiln0 ${address}`);
    c = { id, host, address: address! };
    // Cyd, in another org, is refused as with podman.
    expect(await platform.signIn(host, platform.people.cyd.session())).toBe("refused:403");
  }, 240_000);

  it("stops like docker stop: SIGTERM to its init, the goodbye, stopped at once, exit 0", async () => {
    const t0 = Date.now();
    expect(await launched.container.stop(10_000)).toBe(0);
    await platform.waitState(c.id, "stopped", 2_000);
    console.log(`   fallback: stop → exited and stopped ${elapsed(t0)}`);
    expect(readFileSync(launched.logPath, "utf8")).toMatch(/goodbye delivered/);
    expect((await platform.status(c.id)).address).toBe(c.address);
  }, 60_000);
});
