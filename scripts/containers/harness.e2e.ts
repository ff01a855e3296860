/**
 * The user-container harness end to end: the images, podman in a "docker host" namespace
 * behind Kiln's docker ping proxy, the literal `docker run` a user copies, and the agent
 * against a test bridge and a real OpenVPN server in a "VPS" namespace.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatContainerToken, type AgentReport } from "../../protocol/containers.ts";
import { buildImages } from "../../vpn-bridge/images/build.ts";
import { IMAGES, rootfsPackages } from "../../vpn-bridge/images/images.ts";
import { rootfsTarball } from "../../vpn-bridge/images/rootfs.ts";
import { fileURLToPath } from "node:url";
import { extractRootfs, fallbackImageFiles, startFallbackContainer } from "./fallback-runtime.ts";
import { PODMAN_ROOT } from "../../vpn-bridge/images/podman.ts";
import { runDockerCommand } from "./docker-cli.ts";
import { startDockerPingProxy, type DockerPingProxy } from "./docker-ping-proxy.ts";
import { run, waitFor } from "./exec.ts";
import { Topology } from "./netns.ts";
import { startPodmanService, type PodmanService } from "./podman-service.ts";
import { detectRuntime } from "./runtime.ts";
import { startTestBridge, type TestBridge } from "./test-bridge-client.ts";
import type { TestBridgeEvent } from "./test-bridge-events.ts";
import { startTestVpnServer, type TestVpnServer } from "./openvpn-server.ts";

if (process.getuid?.() !== 0) throw new Error("the container tests need root (network namespaces, podman's storage, OpenVPN): run `sudo npm run test:containers`");

const VPS = "10.231.77.1";
const DOCK = "10.231.77.2";
const VPN_SERVER = "172.30.77.1";
const BRIDGE_PORT = 19470;
const VPN_PORT = 11940;
const JUPYTER = IMAGES.find((image) => image.name === "jupyter")!.ref;
const BRIDGE = `http://${VPS}:${BRIDGE_PORT}`;

type ReportEvent = Extract<TestBridgeEvent, { event: "report" }>;
type ProfileEvent = Extract<TestBridgeEvent, { event: "profile" }>;
const isReport = (container: string, test: (report: AgentReport, event: ReportEvent) => boolean = () => true) =>
  (event: TestBridgeEvent): event is ReportEvent => event.event === "report" && event.container === container && event.report !== null && test(event.report, event);
const isProfile = (token: string) => (event: TestBridgeEvent): event is ProfileEvent => event.event === "profile" && event.token === token;

function newContainer(): { id: string; token: string } {
  const id = randomBytes(9).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0").slice(0, 12);
  return { id, token: formatContainerToken(ORG, id, randomBytes(32).toString("base64url")) };
}

const ORG = randomUUID();
const runDir = `/run/kiln-containers/kh-${process.pid}`;
const good = newContainer();
const stranger = newContainer();
const chrooted = newContainer();
let topology: Topology;
let vpn: TestVpnServer;
let bridge: TestBridge;
let podman: PodmanService;
let proxy: DockerPingProxy;
const names: string[] = [];
const docker = (command: string) => runDockerCommand(command, proxy.socket);
/** A container name of this run (removed afterwards). */
const nameOf = (label: string) => {
  const name = `kh-${topology.id}-${label}`;
  names.push(name);
  return name;
};

beforeAll(async () => {
  expect(detectRuntime()).toBe("podman");
  const times = await buildImages((line) => console.log(`images: ${line}`));
  console.log(`images: built or reused in ${times.reduce((sum, step) => sum + step.seconds, 0).toFixed(1)} s`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  topology = await Topology.create({
    roles: ["vps", "dock", "fb"],
    links: [
      { a: "vps", aAddress: `${VPS}/24`, b: "dock", bAddress: `${DOCK}/24` },
      { a: "vps", aAddress: "10.231.78.1/24", b: "fb", bAddress: "10.231.78.2/24" },
    ],
    defaultRoutes: { dock: VPS, fb: "10.231.78.1" },
  });
  vpn = await startTestVpnServer({ dir: `${runDir}/vpn`, enter: topology.enter("vps"), address: VPS, port: VPN_PORT, subnet: "172.30.77.0", tunName: `kh${topology.id}t` });
  vpn.allow(good.id, good.token);
  vpn.allow(chrooted.id, chrooted.token);
  writeFileSync(`${runDir}/client.ovpn`, vpn.clientProfile);
  bridge = await startTestBridge(topology.enter("vps"), {
    port: BRIDGE_PORT,
    tokens: { [good.token]: good.id, [chrooted.token]: chrooted.id },
    profileFile: `${runDir}/client.ovpn`,
    reportUrl: `http://${VPN_SERVER}:${BRIDGE_PORT}/v1/report`,
  });
  podman = await startPodmanService(topology.enter("dock"), `${runDir}/podman.sock`, `${runDir}/podman.log`);
  proxy = await startDockerPingProxy(`${runDir}/docker.sock`, podman.socket);
});

afterAll(async () => {
  if (podman) {
    for (const name of names) {
      // What the agent said, for whoever reads a failed run.
      if (process.env.KH_SHOW_LOGS) console.log(`--- docker logs ${name}\n${(await docker(`docker logs ${name}`)).stdout}`);
      await podman.podman(["rm", "-f", "-t", "2", name], true);
    }
    await podman.stop();
  }
  await proxy?.close();
  await bridge?.stop();
  await vpn?.stop();
  topology?.destroySync();
});

describe("the docker CLI against podman 4.3", () => {
  it("fails straight at podman's socket (no OSType in /_ping, docker/cli#2280) and works through the ping proxy", async () => {
    const direct = await runDockerCommand(`docker run --rm --network none --device /dev/net/tun ${JUPYTER} true`, podman.socket);
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toMatch(/unknown server OS/);
    const version = await docker("docker version --format '{{.Server.Version}}'");
    expect(version.stdout.trim()).toMatch(/^4\.3\./);
  });
});

describe("a jupyter container started with the literal docker run", () => {
  const startedAt: Record<string, number> = {};
  let name: string;
  let address: string;

  it("fetches its profile with its token, joins the VPN and reports from its VPN address", async () => {
    name = nameOf("jupyter");
    const command = `docker run -d --name ${name} --restart unless-stopped --cap-add=NET_ADMIN --device /dev/net/tun -e KILN_CONTAINER=${good.id} -e KILN_TOKEN=${good.token} -e KILN_BRIDGE=${BRIDGE} ${JUPYTER}`;
    startedAt.run = Date.now();
    const result = await docker(command);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    console.log(`docker run returned after ${Date.now() - startedAt.run} ms`);

    const profile = await bridge.waitFor("the profile request", isProfile(good.token), 30_000);
    expect(profile).toMatchObject({ container: good.id, status: 200 });
    const first = await bridge.waitFor("the first report", isReport(good.id), 60_000);
    console.log(`profile after ${profile.at - startedAt.run} ms, first report over the VPN after ${first.at - startedAt.run} ms`);
    expect(first.status).toBe(200);
    expect(first.report?.kind).toBe("beat");
    // Sent over the VPN: the bridge sees the container's tun address, in the server's subnet.
    expect(first.remote).toMatch(/^172\.30\.77\.\d+$/);
    expect(first.remote).not.toBe(VPN_SERVER);
    address = first.remote;
    expect(vpn.log()).toContain(`Username/Password authentication succeeded for username '${good.id}'`);
    const logs = await docker(`docker logs ${name}`);
    expect(logs.stdout).toContain(`VPN up: kiln0 ${address}`);
  });

  it("registers jupyter once port 8888 listens, with a report at once, and Jupyter answers GET /api over the VPN", async () => {
    const registered = await bridge.waitFor("jupyter registered", isReport(good.id, (report) => report.services.some((service) => service.name === "jupyter")), 90_000);
    expect(registered.report?.services).toEqual([{ name: "jupyter", port: 8888, protocol: "http", runsCode: true }]);
    console.log(`jupyter registered after ${registered.at - startedAt.run!} ms`);
    // "At once": no 5 s heartbeat wait between the agent seeing the port and the report.
    const logs = (await docker(`docker logs ${name}`)).stdout;
    const listensAt = Date.parse(/^(\S+) kiln-agent: service jupyter listens on port 8888/m.exec(logs)?.[1] ?? "");
    expect(registered.at - listensAt).toBeLessThan(1_500);
    const api = await run(topology.enter("vps")[0]!, [...topology.enter("vps").slice(1), "curl", "-s", "-m", "5", "-w", "\n%{http_code}", `http://${address}:8888/api`]);
    const [body, code] = api.stdout.trim().split("\n");
    expect(code).toBe("200");
    expect(JSON.parse(body!)).toMatchObject({ version: expect.stringMatching(/^1\.23\./) });
  });

  it("heartbeats every 5 s with the container's metrics", async () => {
    const from = bridge.events.length;
    const a = await bridge.waitFor("a beat", isReport(good.id), 10_000, from);
    const b = await bridge.waitFor("the next beat", isReport(good.id, (_, event) => event.at > a.at), 10_000, from);
    expect(b.at - a.at).toBeGreaterThan(4_000);
    expect(b.at - a.at).toBeLessThan(6_500);
    const metrics = b.report!.metrics!;
    console.log(`metrics: ${JSON.stringify(metrics)}`);
    expect(metrics.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(metrics.cpuPercent).toBeLessThanOrEqual(100 * 64);
    expect(metrics.memory.used).toBeGreaterThan(10 * 1024 * 1024);
    expect(metrics.memory.used).toBeLessThanOrEqual(metrics.memory.total);
    // The container's / is an overlay on podman's storage: the same file system, seen from inside.
    const host = statfsSync(PODMAN_ROOT);
    expect(metrics.disk.total).toBe(host.blocks * host.bsize);
    expect(metrics.disk.used).toBeGreaterThan(0);
    expect(metrics.gpus).toEqual([]);
  });

  it("restarts its services on the board's `restart`", async () => {
    const from = bridge.events.length;
    bridge.command(good.id, "restart");
    const down = await bridge.waitFor("the services gone", isReport(good.id, (report) => report.services.length === 0), 15_000, from);
    const up = await bridge.waitFor("jupyter back", isReport(good.id, (report, event) => event.at > down.at && report.services.length === 1), 60_000, from);
    expect(up.report?.services[0]?.name).toBe("jupyter");
    expect(bridge.events.slice(from).some((event) => event.event === "report" && event.command === "restart")).toBe(true);
  });

  it("says goodbye and stops quickly on docker stop, exit 0", async () => {
    const from = bridge.events.length;
    const at = Date.now();
    const stop = await docker(`docker stop ${name}`);
    const took = Date.now() - at;
    console.log(`docker stop took ${took} ms`);
    expect(stop.code).toBe(0);
    expect(took).toBeLessThan(5_000);
    const goodbye = await bridge.waitFor("the goodbye", isReport(good.id, (report) => report.kind === "goodbye"), 1_000, from);
    expect(goodbye.status).toBe(200);
    const state = await docker(`docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' ${name}`);
    expect(state.stdout.trim()).toBe("exited 0");
  });
});

describe("a container that cannot join", () => {
  async function exitOf(name: string): Promise<{ code: string; logs: string }> {
    const code = await waitFor(`${name} to exit`, async () => {
      const state = (await docker(`docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' ${name}`)).stdout.trim();
      return state.startsWith("exited ") ? state.slice("exited ".length) : null;
    }, 30_000, 200);
    return { code, logs: (await docker(`docker logs ${name}`)).stdout };
  }

  it("without --device /dev/net/tun exits 65 naming the flags", async () => {
    const name = nameOf("notun");
    const result = await docker(`docker run -d --name ${name} --cap-add=NET_ADMIN -e KILN_CONTAINER=${good.id} -e KILN_TOKEN=${good.token} -e KILN_BRIDGE=${BRIDGE} ${JUPYTER}`);
    expect(result.code).toBe(0);
    const { code, logs } = await exitOf(name);
    expect(code).toBe("65");
    expect(logs).toContain("/dev/net/tun does not exist");
    expect(logs).toContain("docker run --cap-add=NET_ADMIN --device /dev/net/tun");
  });

  it("without --cap-add=NET_ADMIN exits 65 naming the flags", async () => {
    const name = nameOf("nocap");
    await docker(`docker run -d --name ${name} --device /dev/net/tun -e KILN_CONTAINER=${good.id} -e KILN_TOKEN=${good.token} -e KILN_BRIDGE=${BRIDGE} ${JUPYTER}`);
    const { code, logs } = await exitOf(name);
    expect(code).toBe("65");
    expect(logs).toContain("lacks the NET_ADMIN capability");
  });

  it("with a token the bridge refuses exits 66 after one try", async () => {
    const name = nameOf("refused");
    await docker(`docker run -d --name ${name} --cap-add=NET_ADMIN --device /dev/net/tun -e KILN_CONTAINER=${stranger.id} -e KILN_TOKEN=${stranger.token} -e KILN_BRIDGE=${BRIDGE} ${JUPYTER}`);
    const { code, logs } = await exitOf(name);
    expect(code).toBe("66");
    expect(logs).toContain("the bridge refused the token (HTTP 401");
    expect(bridge.events.filter(isProfile(stranger.token)).map((event) => event.status)).toEqual([401]);
  });

  it("without its environment exits 64", async () => {
    const name = nameOf("noenv");
    await docker(`docker run -d --name ${name} --cap-add=NET_ADMIN --device /dev/net/tun ${JUPYTER}`);
    const { code, logs } = await exitOf(name);
    expect(code).toBe("64");
    expect(logs).toContain("KILN_TOKEN is not set");
  });
});

describe("the fallback runtime (no podman)", () => {
  it("runs the jupyter image's rootfs as an overlay chroot in a namespace: the agent joins, registers jupyter, says goodbye on SIGTERM", async () => {
    const rootfs = await extractRootfs(rootfsTarball(rootfsPackages()));
    const from = bridge.events.length;
    const at = Date.now();
    const container = await startFallbackContainer({
      name: `kh-${topology.id}-fb`,
      rootfs,
      files: fallbackImageFiles(fileURLToPath(new URL("../../vpn-bridge/images/jupyter", import.meta.url))),
      env: { KILN_CONTAINER: chrooted.id, KILN_TOKEN: chrooted.token, KILN_BRIDGE: BRIDGE },
      enter: topology.enter("fb"),
      workDir: `${runDir}/fallback`,
      logPath: `${runDir}/fallback.log`,
    });
    const registered = await bridge.waitFor("jupyter registered from the chroot", isReport(chrooted.id, (report) => report.services.length === 1), 90_000, from);
    console.log(`fallback: jupyter registered after ${registered.at - at} ms from ${registered.remote}`);
    expect(registered.remote).toMatch(/^172\.30\.77\.\d+$/);
    expect(registered.report?.services).toEqual([{ name: "jupyter", port: 8888, protocol: "http", runsCode: true }]);
    const stopAt = Date.now();
    expect(await container.stop()).toBe(0);
    console.log(`fallback: stopped in ${Date.now() - stopAt} ms`);
    const goodbye = await bridge.waitFor("the chroot's goodbye", isReport(chrooted.id, (report) => report.kind === "goodbye"), 1_000, from);
    expect(goodbye.status).toBe(200);
  });
});
