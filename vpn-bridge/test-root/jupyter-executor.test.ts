/**
 * The bridge's kernel executor against the real Jupyter Server of the images (Debian's 1.23
 * and ipykernel, from the images' rootfs, run in a chroot on loopback): a cell printing and
 * returning values, an image, an error, an interrupt of `while True: pass`, a restart, 10 MB
 * of output capped, a run the bridge never held reported aborted, and an unreachable kernel
 * reported dead. Root: chroot and mounts.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CELL_OUTPUT_CAP_BYTES, type BridgeToJupyter, type CellOutput } from "../../protocol/jupyter.ts";
import { extractRootfs } from "../../scripts/containers/fallback-runtime.ts";
import { rootfsPackages } from "../images/images.ts";
import { ensureRootfs } from "../images/rootfs.ts";
import { JupyterExecutor } from "../src/jupyter/executor.ts";

const mounts: string[] = [];
let root = "";
let jupyter: ChildProcess | null = null;
let baseUrl = "";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function mount(args: string[], target: string): void {
  execFileSync("mount", [...args, target]);
  mounts.unshift(target);
}

beforeAll(async () => {
  const rootfs = await extractRootfs(await ensureRootfs(rootfsPackages(), async (_name, run) => run()));
  root = mkdtempSync(join(tmpdir(), "kiln-jupyter-"));
  mount(["--bind", rootfs], root);
  execFileSync("mount", ["-o", "remount,bind,ro", root]);
  for (const dir of ["root", "tmp", "run"]) mount(["-t", "tmpfs", "tmpfs"], join(root, dir));
  mount(["-t", "proc", "proc"], join(root, "proc"));
  mount(["--bind", "/dev"], join(root, "dev"));
  // The image's own files (Kiln's Jupyter extension and its config), where the chroot sees them.
  execFileSync("mkdir", ["-p", join(root, "run/kiln-files")]);
  mount(["--bind", fileURLToPath(new URL("../images/jupyter/files", import.meta.url))], join(root, "run/kiln-files"));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const services = (await import("../images/jupyter/services.json", { with: { type: "json" } })).default as { command: string[] }[];
  const command = services[0]!.command.map((arg) => arg.replace("--ServerApp.ip=0.0.0.0", "--ServerApp.ip=127.0.0.1").replace("--ServerApp.port=8888", `--ServerApp.port=${port}`));
  const env = ["HOME=/root", "PYTHONUNBUFFERED=1", "PYTHONPATH=/run/kiln-files/usr/local/lib/python3.11/dist-packages", "JUPYTER_CONFIG_PATH=/run/kiln-files/etc/jupyter"];
  jupyter = spawn("chroot", [root, "env", ...env, ...command], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  jupyter.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${baseUrl}/api`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`Jupyter did not come up:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // Kiln's extension (Nagle off on kernel sockets) is loaded as the image loads it.
  expect(log).toContain("kiln_nodelay | extension was successfully loaded");
}, 600_000);

afterAll(async () => {
  if (jupyter) {
    jupyter.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    jupyter.kill("SIGKILL");
  }
  for (const target of mounts) execFileSync("umount", ["-l", target]);
  if (root) rmSync(root, { recursive: true, force: true });
});

/** An executor whose messages to the gateway are collected, with a way to wait for one. */
function executor(where: () => { ok: true; baseUrl: string } | { ok: false; reason: string } = () => ({ ok: true, baseUrl })) {
  const sent: BridgeToJupyter[] = [];
  const ex = new JupyterExecutor("org", { send: (m) => sent.push(m), jupyterOf: where });
  const next = async <T extends BridgeToJupyter["type"]>(type: T, match: (m: Extract<BridgeToJupyter, { type: T }>) => boolean = () => true, ms = 20_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = sent.findIndex((m) => m.type === type && match(m as Extract<BridgeToJupyter, { type: T }>));
      if (i >= 0) return sent.splice(i, 1)[0] as Extract<BridgeToJupyter, { type: T }>;
      if (Date.now() > deadline) throw new Error(`no ${type}; sent ${JSON.stringify(sent).slice(0, 600)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  /** Runs code and gathers its outputs until it finishes. */
  const run = async (code: string, kernel = "k1") => {
    const id = `r${Math.random().toString(36).slice(2, 10)}`;
    await ex.onMessage({ type: "execute", run: id, cell: "c1", kernel, code });
    const finished = await next("finished", (m) => m.run === id);
    const batches = sent.filter((m): m is Extract<BridgeToJupyter, { type: "outputs" }> => m.type === "outputs" && m.run === id);
    const outputs: CellOutput[] = batches.flatMap((b) => b.outputs);
    return { finished, outputs, batches, dropped: batches.reduce((n, b) => n + b.dropped, 0) };
  };
  return { ex, sent, next, run };
}

describe("the bridge's kernel executor on a real Jupyter Server", () => {
  it("starts a kernel, runs cells with streams, results, images and errors, interrupts and restarts", async () => {
    const { ex, next, run } = executor();
    await ex.onMessage({ type: "start", kernel: { kernel: "k1", container: "c", spec: "python3", jupyterId: null } });
    const ready = await next("kernel");
    expect(ready).toMatchObject({ kernel: "k1", state: "idle", reason: null, jupyterId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const first = await run("print('hello')\nprint('world')\n6 * 7");
    expect(first.finished).toMatchObject({ end: "ok", executionCount: 1 });
    expect(first.outputs).toEqual([
      { type: "stream", name: "stdout", text: "hello\nworld\n" },
      { type: "result", count: 1, data: { "text/plain": "42" } },
    ]);

    // A PNG through IPython's display machinery (no matplotlib in the image).
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const image = await run(`import base64\nfrom IPython.display import Image, display\ndisplay(Image(data=base64.b64decode("${png}")))`);
    expect(image.outputs).toEqual([{ type: "display", data: { "image/png": expect.stringContaining(png.slice(0, 40)), "text/plain": "<IPython.core.display.Image object>" } }]);

    const error = await run("1 / 0");
    expect(error.finished.end).toBe("error");
    expect(error.outputs).toEqual([{ type: "error", ename: "ZeroDivisionError", evalue: "division by zero", traceback: expect.arrayContaining([expect.stringContaining("ZeroDivisionError")]) }]);

    const id = "rloop";
    await ex.onMessage({ type: "execute", run: id, cell: "c1", kernel: "k1", code: "x = 5\nwhile True: pass" });
    await new Promise((resolve) => setTimeout(resolve, 700));
    await ex.onMessage({ type: "interrupt", kernel: "k1" });
    expect(await next("finished", (m) => m.run === id)).toMatchObject({ end: "error" });

    await ex.onMessage({ type: "restart", kernel: "k1" });
    expect(await next("kernel")).toMatchObject({ state: "idle", jupyterId: ready.jupyterId });
    const after = await run("x");
    expect(after.outputs).toEqual([expect.objectContaining({ type: "error", ename: "NameError" })]);
    expect(after.finished.executionCount).toBe(1);
    ex.stop();
  });

  it("keeps 10 MB of output within the cap and counts the rest as dropped", async () => {
    const { ex, next, run } = executor();
    await ex.onMessage({ type: "start", kernel: { kernel: "k1", container: "c", spec: "python3", jupyterId: null } });
    await next("kernel", (m) => m.state === "idle");
    const flood = await run("for i in range(100_000):\n    print('x' * 99)");
    expect(flood.finished.end).toBe("ok");
    const kept = flood.outputs.reduce((n, o) => n + JSON.stringify(o).length, 0);
    expect(kept).toBeLessThanOrEqual(CELL_OUTPUT_CAP_BYTES);
    expect(kept).toBeGreaterThan(CELL_OUTPUT_CAP_BYTES * 0.9);
    expect(flood.dropped).toBeGreaterThan(8_000_000);
    // Batched: a few events, not 100,000.
    expect(flood.batches.length).toBeLessThan(200);
    ex.stop();
  });

  it("takes up a kernel that still exists after a bridge restart, reports runs it lost, and a kernel it cannot reach as dead", async () => {
    const first = executor();
    await first.ex.onMessage({ type: "start", kernel: { kernel: "k1", container: "c", spec: "python3", jupyterId: null } });
    const { jupyterId } = await first.next("kernel", (m) => m.state === "idle");
    await first.run("y = 'kept'");
    first.ex.stop();

    // A new bridge process: the gateway's snapshot names the kernel and a run under way.
    const second = executor();
    await second.ex.onMessage({ type: "snapshot", kernels: [{ kernel: "k1", container: "c", spec: "python3", jupyterId }], running: ["rlost"] });
    expect(await second.next("finished", (m) => m.run === "rlost")).toMatchObject({ end: "aborted", reason: expect.stringContaining("lost this run") });
    expect(await second.next("kernel")).toMatchObject({ state: "idle", jupyterId });
    expect((await second.run("y")).outputs).toEqual([{ type: "result", count: expect.any(Number), data: { "text/plain": "'kept'" } }]);

    // Jupyter no longer has the kernel (the container restarted): dead, with why.
    await second.ex.onMessage({ type: "start", kernel: { kernel: "k2", container: "c", spec: "python3", jupyterId: "00000000-0000-0000-0000-000000000000" } });
    expect(await second.next("kernel", (m) => m.kernel === "k2")).toMatchObject({ state: "dead", reason: expect.stringContaining("no longer has this kernel") });
    second.ex.stop();

    const stopped = executor(() => ({ ok: false, reason: "The container is stopped: start it, then restart the kernel." }));
    await stopped.ex.onMessage({ type: "start", kernel: { kernel: "k3", container: "c", spec: "python3", jupyterId: null } });
    expect(await stopped.next("kernel")).toMatchObject({ state: "dead", reason: expect.stringContaining("stopped") });
    await stopped.ex.onMessage({ type: "execute", run: "rx", cell: "c1", kernel: "k3", code: "1" });
    expect(await stopped.next("finished", (m) => m.run === "rx")).toMatchObject({ end: "aborted" });
  });
});
