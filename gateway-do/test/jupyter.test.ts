/**
 * The jupyter module on a real gateway, the bridge played by a test socket: kernels started
 * and reported, cells queued one at a time per kernel, outputs appended live and capped, a
 * failing cell stopping the rest of its batch, restart and shutdown aborting runs, who may run
 * code, and the snapshot a reconnecting bridge gets.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ContainerRecord } from "../../protocol/containers";
import { CELL_OUTPUT_CAP_BYTES, type CellOutput, type CellRecord, type JupyterToBridge, JupyterToBridgeSchema, type KernelRecord } from "../../protocol/jupyter";
import { orgWithProjects } from "./fixtures";
import { moduleSocket } from "./module-socket";
import { bridgeSocket, gatewayOf } from "./user-containers-fixtures";

const uuid = () => crypto.randomUUID();
type Stub = Awaited<ReturnType<typeof gatewayOf>>;

async function readDoc(stub: Stub, project: string) {
  return runInDurableObject(stub, async (_instance, state) => {
    const { DocStore } = await import("../src/storage/doc-store");
    const Y = await import("yjs");
    const stored = new DocStore(state.storage.sql, (f) => state.storage.transactionSync(f)).read(project);
    const doc = new Y.Doc();
    for (const u of [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates]) Y.applyUpdate(doc, u);
    const outputs = doc.getMap<import("yjs").Array<CellOutput>>("jupyter/outputs");
    return {
      kernels: doc.getMap<KernelRecord>("jupyter/kernels").toJSON() as Record<string, KernelRecord>,
      cells: doc.getMap<CellRecord>("jupyter/cells").toJSON() as Record<string, CellRecord>,
      outputs: Object.fromEntries([...outputs].map(([id, a]) => [id, a.toArray()])),
      nodes: doc.getMap("core-graph/nodes").toJSON(),
    };
  });
}

/** Waits until the doc satisfies `check` (events from the bridge's socket run after its frame arrives). */
async function docWhen(stub: Stub, project: string, check: (doc: Awaited<ReturnType<typeof readDoc>>) => boolean, ms = 3000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const doc = await readDoc(stub, project);
    if (check(doc)) return doc;
    if (Date.now() > deadline) throw new Error(`the doc never got there: ${JSON.stringify({ kernels: doc.kernels, cells: doc.cells }).slice(0, 800)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Alice's running Jupyter container in project a, a kernel she started on it (ready), and the bridge's jupyter socket. */
async function readyKernel() {
  const setup = await orgWithProjects();
  const { org, people, projects } = setup;
  const stub = await gatewayOf(org);
  const act = (user: string, event: Record<string, unknown>, project = projects.a) => stub.applyEvent(project, user, { requestId: uuid(), ...event });
  const made = await act(people.alice, { type: "user-containers:create", name: "lab", image: "localhost/kiln-jupyter:1" });
  const container = (made as unknown as { result: { container: ContainerRecord } }).result.container;
  const containers = await bridgeSocket(org);
  containers.send({ type: "connected", container: container.id, connection: "1", address: "172.16.0.10" });
  containers.send({ type: "report", container: container.id, report: { kind: "beat", services: container.services, metrics: null } });
  await docWhen(stub, projects.a, () => true);
  await containers.next("route", (m) => m.route.state === "running");
  const bridge = await moduleSocket(org, "jupyter", (j) => JupyterToBridgeSchema.parse(j));
  await bridge.next("snapshot");
  const started = await act(people.alice, { type: "jupyter:start-kernel", container: container.id });
  expect(started).toMatchObject({ ok: true, result: { kernel: { state: "starting", container: container.id } } });
  const kernel = (started as unknown as { result: { kernel: KernelRecord } }).result.kernel;
  const start = await bridge.next("start");
  expect(start.kernel).toEqual({ kernel: kernel.id, container: container.id, spec: "python3", jupyterId: null });
  bridge.send({ type: "kernel", kernel: kernel.id, state: "idle", jupyterId: "jup-1", reason: null });
  await docWhen(stub, projects.a, (d) => d.kernels[kernel.id]?.state === "idle");
  const cell = async (code: string, user = people.alice) => {
    const id = `c${uuid().slice(0, 8)}`;
    expect(await act(user, { type: "jupyter:create", id, kernel: kernel.id, code })).toMatchObject({ ok: true });
    return id;
  };
  return { ...setup, stub, act, container, containers, bridge, kernel, cell };
}

describe("jupyter on the gateway", () => {
  it("runs a kernel's cells one at a time, appends outputs live, and stops a batch at an error", async () => {
    const { stub, act, projects, people, bridge, kernel, cell } = await readyKernel();
    const [a, b, c] = [await cell("print('hi')"), await cell("1 + 1"), await cell("never()")];
    const ran = await act(people.alice, { type: "jupyter:run", cells: [a, b, c] });
    expect(ran).toMatchObject({ ok: true, result: { runs: [{ cell: a }, { cell: b }, { cell: c }] } });

    // Only the first is sent; the others wait.
    const first = await bridge.next("execute");
    expect(first).toMatchObject({ cell: a, kernel: kernel.id, code: "print('hi')" });
    let doc = await readDoc(stub, projects.a);
    expect([doc.cells[a]!.run, doc.cells[b]!.run, doc.cells[c]!.run]).toEqual(["running", "queued", "queued"]);
    expect(doc.kernels[kernel.id]!.state).toBe("busy");
    expect(bridge.inbox.filter((m) => m.type === "execute")).toHaveLength(0);

    bridge.send({ type: "outputs", run: first.run, outputs: [{ type: "stream", name: "stdout", text: "hi\n" }], dropped: 0 });
    await docWhen(stub, projects.a, (d) => d.outputs[a]?.length === 1);
    bridge.send({ type: "finished", run: first.run, end: "ok", executionCount: 1, reason: null });
    const second = await bridge.next("execute");
    expect(second).toMatchObject({ cell: b, code: "1 + 1" });
    bridge.send({ type: "outputs", run: second.run, outputs: [{ type: "result", count: 2, data: { "text/plain": "2" } }], dropped: 0 });
    // An error in b: c is not run.
    bridge.send({ type: "finished", run: second.run, end: "error", executionCount: 2, reason: null });
    doc = await docWhen(stub, projects.a, (d) => d.cells[c]?.run === "aborted");
    expect(doc.cells[a]).toMatchObject({ run: "done", executionCount: 1, ranBy: people.alice });
    expect(doc.outputs[a]).toEqual([{ type: "stream", name: "stdout", text: "hi\n" }]);
    expect(doc.cells[b]).toMatchObject({ run: "error", executionCount: 2 });
    expect(doc.outputs[b]).toEqual([{ type: "result", count: 2, data: { "text/plain": "2" } }]);
    expect(doc.outputs[c]).toEqual([{ type: "notice", text: "Not run: a cell above it failed." }]);
    expect(doc.kernels[kernel.id]!.state).toBe("idle");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bridge.inbox.filter((m) => m.type === "execute")).toHaveLength(0);

    // Outputs of a run that ended are ignored; so is a run nobody knows.
    bridge.send({ type: "outputs", run: first.run, outputs: [{ type: "stream", name: "stdout", text: "late" }], dropped: 0 });
    bridge.send({ type: "finished", run: "nosuchrun", end: "ok", executionCount: 9, reason: null });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await readDoc(stub, projects.a)).outputs[a]).toHaveLength(1);

    // Running again clears the old outputs first.
    await act(people.alice, { type: "jupyter:run", cells: [a] });
    await bridge.next("execute", (m) => m.cell === a);
    expect((await readDoc(stub, projects.a)).outputs[a]).toEqual([]);
  });

  it("keeps a cell's outputs within the cap and says how much it dropped", async () => {
    const { stub, act, projects, people, bridge, cell } = await readyKernel();
    const a = await cell("print('x' * 10_000_000)");
    await act(people.alice, { type: "jupyter:run", cells: [a] });
    const run = await bridge.next("execute");
    const chunk = "x".repeat(200 * 1024);
    // Past the cap the gateway keeps nothing more; then the bridge cuts and says how much, with what precedes its cut.
    for (let i = 0; i < 6; i++) bridge.send({ type: "outputs", run: run.run, outputs: [{ type: "stream", name: "stdout", text: chunk }], dropped: 0 });
    bridge.send({ type: "outputs", run: run.run, outputs: [{ type: "stream", name: "stdout", text: "after the cut" }], dropped: 8_000_000 });
    bridge.send({ type: "finished", run: run.run, end: "ok", executionCount: 1, reason: null });
    const doc = await docWhen(stub, projects.a, (d) => d.cells[a]?.run === "done");
    const kept = doc.outputs[a]!;
    const bytes = kept.reduce((n, o) => n + JSON.stringify(o).length, 0);
    expect(bytes).toBeLessThanOrEqual(CELL_OUTPUT_CAP_BYTES + 200);
    expect(bytes).toBeGreaterThan(CELL_OUTPUT_CAP_BYTES - chunk.length - 200);
    expect(kept.filter((o) => o.type === "stream")).toHaveLength(5);
    expect(kept.at(-1)).toMatchObject({ type: "notice", text: expect.stringContaining("Output truncated") });
    expect(doc.cells[a]!.droppedBytes).toBeGreaterThan(8_000_000);
  });

  it("lets only those who may type in the container run code there, and nobody run without permission", async () => {
    const { act, people, bridge, kernel, cell, container } = await readyKernel();
    const a = await cell("import os; os.system('id')");
    // Bob is a project member: he may run cells, but not in Alice's container.
    expect(await act(people.bob, { type: "jupyter:run", cells: [a] })).toMatchObject({ ok: false, error: { code: "forbidden", message: expect.stringContaining("its owner") } });
    expect(await act(people.bob, { type: "jupyter:start-kernel", container: container.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    // Nor act on her kernel: interrupting, restarting, shutting down are acting on her container's processes.
    for (const action of ["interrupt", "restart", "shutdown"]) {
      expect(await act(people.bob, { type: `jupyter:${action}`, kernel: kernel.id }), action).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    // The org's owner holds every permission.
    expect(await act(people.owner, { type: "jupyter:run", cells: [a] })).toMatchObject({ ok: true });
    await bridge.next("execute", (m) => m.cell === a && m.kernel === kernel.id);
    // Outputs and ends are the bridge's to report, not a person's.
    expect(await act(people.alice, { type: "jupyter:finished", run: "x", kernel: kernel.id, end: "ok", executionCount: 1, reason: null })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await act(people.alice, { type: "jupyter:kernel-state", kernel: kernel.id, state: "dead", jupyterId: null, reason: null })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    // A cell without a kernel, a kernel on a container without Jupyter.
    const loose = `c${uuid().slice(0, 8)}`;
    await act(people.alice, { type: "jupyter:create", id: loose });
    expect(await act(people.alice, { type: "jupyter:run", cells: [loose] })).toMatchObject({ ok: false, error: { code: "no_kernel" } });
    const plain = await act(people.alice, { type: "user-containers:create", name: "plain", image: "example.org/plain:1" });
    const plainId = (plain as unknown as { result: { container: ContainerRecord } }).result.container.id;
    expect(await act(people.alice, { type: "jupyter:start-kernel", container: plainId })).toMatchObject({ ok: false, error: { code: "no_jupyter" } });
  });

  it("aborts runs on restart, interrupt goes to the bridge, a dead kernel refuses runs until restarted", async () => {
    const { org, stub, act, projects, people, bridge, kernel, cell } = await readyKernel();
    const [a, b] = [await cell("while True: pass"), await cell("2")];
    await act(people.alice, { type: "jupyter:run", cells: [a, b] });
    await bridge.next("execute", (m) => m.cell === a);
    expect(await act(people.alice, { type: "jupyter:interrupt", kernel: kernel.id })).toMatchObject({ ok: true });
    await bridge.next("interrupt", (m) => m.kernel === kernel.id);
    expect(await act(people.alice, { type: "jupyter:restart", kernel: kernel.id })).toMatchObject({ ok: true });
    await bridge.next("restart", (m) => m.kernel === kernel.id);
    let doc = await readDoc(stub, projects.a);
    expect(doc.kernels[kernel.id]!.state).toBe("restarting");
    expect([doc.cells[a]!.run, doc.cells[b]!.run]).toEqual(["aborted", "aborted"]);
    expect(doc.outputs[a]).toEqual([{ type: "notice", text: "The kernel was restarted." }]);
    bridge.send({ type: "kernel", kernel: kernel.id, state: "idle", jupyterId: "jup-1", reason: null });
    await docWhen(stub, projects.a, (d) => d.kernels[kernel.id]?.state === "idle");

    // The container stopped: the bridge lost the kernel.
    bridge.send({ type: "kernel", kernel: kernel.id, state: "dead", jupyterId: null, reason: "Jupyter in lab is gone." });
    doc = await docWhen(stub, projects.a, (d) => d.kernels[kernel.id]?.state === "dead");
    expect(doc.kernels[kernel.id]!.reason).toBe("Jupyter in lab is gone.");
    expect(await act(people.alice, { type: "jupyter:run", cells: [b] })).toMatchObject({ ok: false, error: { code: "kernel_unavailable" } });
    // Restarting a dead kernel starts a new Jupyter kernel.
    await act(people.alice, { type: "jupyter:restart", kernel: kernel.id });
    expect((await bridge.next("start")).kernel).toMatchObject({ kernel: kernel.id, jupyterId: null });
    // Its container stops: nothing runs until it is back (the cell would wait on nothing).
    const { containers, container } = { containers: await bridgeSocket(org), container: (await readDoc(stub, projects.a)).kernels[kernel.id]!.container };
    containers.send({ type: "report", container, report: { kind: "goodbye", services: [], metrics: null } });
    await containers.next("route", (m) => m.route.state === "stopped");
    expect(await act(people.alice, { type: "jupyter:run", cells: [b] })).toMatchObject({ ok: false, error: { code: "kernel_unavailable", message: expect.stringContaining("stopped") } });
    expect(await act(people.alice, { type: "jupyter:restart", kernel: kernel.id })).toMatchObject({ ok: false, error: { code: "kernel_unavailable" } });
    // Shut down: stays so whatever the bridge says next.
    await act(people.alice, { type: "jupyter:shutdown", kernel: kernel.id });
    await bridge.next("shutdown");
    bridge.send({ type: "kernel", kernel: kernel.id, state: "idle", jupyterId: "jup-2", reason: null });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await readDoc(stub, projects.a)).kernels[kernel.id]!.state).toBe("shutdown");
  });

  it("keeps a queued cell when a cell of the same id goes in another project", async () => {
    const { stub, act, projects, people, bridge, cell } = await readyKernel();
    const first = await cell("import time; time.sleep(1)");
    const waiting = await cell("'next'");
    await act(people.alice, { type: "jupyter:run", cells: [first, waiting] });
    const running = await bridge.next("execute", (m) => m.cell === first);
    // Ids are chosen by clients and unique per project only: project b gets a cell with the same id, then deletes it.
    expect(await act(people.alice, { type: "jupyter:create", id: waiting }, projects.b)).toMatchObject({ ok: true });
    expect(await act(people.alice, { type: "core-graph:delete-nodes", nodeIds: [waiting] }, projects.b)).toMatchObject({ ok: true });
    bridge.send({ type: "finished", run: running.run, end: "ok", executionCount: 1, reason: null });
    expect(await bridge.next("execute", (m) => m.cell === waiting)).toMatchObject({ code: "'next'" });
    expect((await readDoc(stub, projects.a)).cells[waiting]!.run).toBe("running");
  });

  it("gives a reconnecting bridge the live kernels and the runs under way; a deleted container kills its kernels", async () => {
    const { org, stub, act, projects, people, bridge, kernel, cell, container } = await readyKernel();
    const a = await cell("import time; time.sleep(60)");
    await act(people.alice, { type: "jupyter:run", cells: [a] });
    const run = await bridge.next("execute");
    bridge.ws.close();
    const again = await moduleSocket(org, "jupyter", (j) => JupyterToBridgeSchema.parse(j) as JupyterToBridge);
    const snapshot = await again.next("snapshot");
    expect(snapshot.kernels).toEqual([{ kernel: kernel.id, container: container.id, spec: "python3", jupyterId: "jup-1" }]);
    expect(snapshot.running).toEqual([run.run]);
    // The bridge lost it (say it restarted): it reports the run aborted, and the cell says so.
    again.send({ type: "finished", run: run.run, end: "aborted", executionCount: null, reason: "The bridge restarted during the run." });
    await docWhen(stub, projects.a, (d) => d.cells[a]?.run === "aborted");

    expect(await act(people.alice, { type: "user-containers:delete", container: container.id })).toMatchObject({ ok: true });
    const doc = await docWhen(stub, projects.a, (d) => d.kernels[kernel.id]?.state === "dead");
    expect(doc.kernels[kernel.id]!.reason).toContain("deleted");
    await again.next("shutdown", (m) => m.kernel === kernel.id);
    // Deleting the cell takes its code and outputs.
    expect(await act(people.alice, { type: "core-graph:delete-nodes", nodeIds: [a] })).toMatchObject({ ok: true });
    const after = await readDoc(stub, projects.a);
    expect(after.cells[a]).toBeUndefined();
    expect(after.outputs[a]).toBeUndefined();
    // The frames the bridge sends are checked.
    again.send({ type: "outputs", run: "x", outputs: [{ type: "bogus" }], dropped: 0 });
    expect(await again.next("error")).toMatchObject({ error: { code: "invalid_message" } });
  });
});
