/** The code cell node: its prompt, kernel and outputs live from the doc; its buttons, disabled with the reason; the events it sends. */
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import type { CellOutput, KernelRecord } from "../../protocol/jupyter";
import { cellsOf, kernelsOf, outputsOf, readCell, sourcesOf } from "../../gateway-do/src/modules/jupyter/records";
import { containersOf } from "../../gateway-do/src/modules/user-containers/records";
import { placementsOf } from "../../gateway-do/src/modules/whiteboard/placements";
import { BoardStore } from "../src/board/store";
import { CellNode } from "../src/modules/jupyter/CellNode";
import { createCellsCommand, runView } from "../src/modules/jupyter/commands";
import { nodeViewOf } from "../src/modules/registry";
import { setAccess } from "../src/modules/user-containers/access";
import { fakeConnection, projectDoc } from "./board-fixtures";
import { stubApi } from "./api-stub";
import { ORG, PROJECT, me, record, renderNodeView } from "./user-containers-fixtures";

const KERNEL: KernelRecord = { id: "k1", container: "abc123def456", spec: "python3", name: "Python 3 on Training box", state: "idle", reason: null, since: 0, createdBy: "ada" };

/** A project with Ada's running Jupyter container, its kernel, and cells made by the gateway's reducer. */
function board() {
  const { doc, event } = projectDoc();
  containersOf(doc).set("abc123def456", record());
  kernelsOf(doc).set("k1", KERNEL);
  const view = [...doc.getMap("whiteboard/views").keys()][0]!;
  event({ type: "jupyter:create", id: "c1", viewId: view, x: 0, y: 0, kernel: "k1", code: "1 + 1" });
  let seq = 0;
  const connection = fakeConnection(doc, async () => ({ requestId: `t${++seq}`, ok: true }));
  const store = new BoardStore(connection, me, { org: ORG, project: PROJECT });
  return { doc, store, sent: connection.sent, view, event };
}

function renderCell(store: BoardStore, id = "c1") {
  return renderNodeView(store, "cell", CellNode, id);
}

const push = (doc: Y.Doc, ...outputs: CellOutput[]) => act(() => outputsOf(doc).get("c1")!.push(outputs));
const button = (name: string) => screen.getByRole("button", { name }) as HTMLButtonElement;

beforeEach(() => {
  // Roles unknown (the API answers 404): everything is offered, as before they load.
  stubApi({ [`GET /api/orgs/${ORG}`]: { status: 404, body: { error: { code: "not_found", message: "no" } } } });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the code cell", () => {
  it("shows its code, its prompt and its kernel's state, live", () => {
    const { store, doc } = board();
    renderCell(store);
    expect(screen.getByTestId("cell-prompt").textContent).toBe("In [ ]:");
    expect(screen.getByRole("textbox", { name: "Cell code" }).textContent).toBe("1 + 1");
    expect(screen.getByTestId("kernel-state").textContent).toBe("idle");
    expect(screen.getByText("Python 3 on Training box")).toBeTruthy();

    act(() => cellsOf(doc).set("c1", { ...readCell(doc, "c1")!, run: "running", runId: "r1" }));
    act(() => kernelsOf(doc).set("k1", { ...KERNEL, state: "busy" }));
    expect(screen.getByTestId("cell-prompt").textContent).toBe("In [*]:");
    expect(screen.getByTestId("kernel-state").textContent).toBe("busy");
    expect(screen.getByTestId("kernel-state").className).toContain("jp-k-busy");
    act(() => cellsOf(doc).set("c1", { ...readCell(doc, "c1")!, run: "done", executionCount: 7, startedAt: 1000, endedAt: 2250 }));
    expect(screen.getByTestId("cell-prompt").textContent).toBe("In [7]:");
    expect(screen.getByTestId("cell-prompt").title).toBe("Ran in 1.3 s");

    // Someone else types: the editor follows.
    act(() => sourcesOf(doc).get("c1")!.insert(5, "\nprint('hi')"));
    expect(screen.getByRole("textbox", { name: "Cell code" }).textContent).toContain("print('hi')");
  });

  it("draws outputs as they stream in: streams joined, stderr apart, Out[n], errors, notices", () => {
    const { store, doc } = board();
    renderCell(store);
    expect(screen.queryByTestId("cell-outputs")).toBeNull();
    push(doc, { type: "stream", name: "stdout", text: "hel" });
    push(doc, { type: "stream", name: "stdout", text: "lo\n" }, { type: "stream", name: "stderr", text: "careful\n" });
    push(doc, { type: "result", count: 3, data: { "text/plain": "2", "text/markdown": "**two**" } });
    push(doc, { type: "error", ename: "ZeroDivisionError", evalue: "division by zero", traceback: ["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"] });
    push(doc, { type: "notice", text: "Output truncated." });
    const outputs = screen.getByTestId("cell-outputs");
    expect(outputs.querySelector(".jp-stdout")?.textContent).toBe("hello\n");
    expect(outputs.querySelector(".jp-stderr")?.textContent).toBe("careful\n");
    expect(within(outputs).getByText("Out[3]:")).toBeTruthy();
    expect(outputs.querySelector(".jp-markdown strong")?.textContent).toBe("two");
    const red = outputs.querySelector(".jp-traceback .ansi-red-fg");
    expect(red?.textContent).toBe("ZeroDivisionError");
    expect(outputs.querySelector(".jp-traceback")?.textContent).toBe("ZeroDivisionError: division by zero");
    expect(outputs.querySelector(".jp-notice")?.textContent).toBe("Output truncated.");
    // Cleared at the next run's queue time: gone.
    act(() => outputsOf(doc).get("c1")!.delete(0, outputsOf(doc).get("c1")!.length));
    expect(screen.queryByTestId("cell-outputs")).toBeNull();
  });

  it("draws an image from its base64, never a bad data: URL", () => {
    const { store, doc } = board();
    renderCell(store);
    push(doc, { type: "display", data: { "image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 640x480>" } });
    const img = screen.getByRole("img") as HTMLImageElement;
    expect(img.getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
    expect(img.alt).toBe("<Figure size 640x480>");
  });

  it("runs, interrupts, restarts and clears through the gateway's events", () => {
    const { store, doc, sent } = board();
    renderCell(store);
    fireEvent.click(button("Run"));
    expect(sent.at(-1)).toEqual({ type: "jupyter:run", cells: ["c1"] });
    // Interrupt is for a busy kernel; Clear for outputs there are.
    expect(button("Interrupt").disabled).toBe(true);
    expect(button("Interrupt").title).toBe("Nothing to interrupt: the kernel is idle.");
    expect(button("Clear").title).toBe("No outputs to clear.");
    act(() => kernelsOf(doc).set("k1", { ...KERNEL, state: "busy" }));
    push(doc, { type: "stream", name: "stdout", text: "x" });
    fireEvent.click(button("Interrupt"));
    expect(sent.at(-1)).toEqual({ type: "jupyter:interrupt", kernel: "k1" });
    fireEvent.click(button("Restart"));
    expect(sent.at(-1)).toEqual({ type: "jupyter:restart", kernel: "k1" });
    fireEvent.click(button("Clear"));
    expect(sent.at(-1)).toEqual({ type: "jupyter:clear", cells: ["c1"] });
  });

  it("runs on Shift+Enter and Ctrl+Enter in the editor, and keeps its keys from the board", () => {
    const { store, sent } = board();
    renderCell(store);
    const code = screen.getByRole("textbox", { name: "Cell code" });
    const reachedWindow = vi.fn();
    window.addEventListener("keydown", reachedWindow);
    fireEvent.keyDown(code, { key: "Enter", shiftKey: true });
    expect(sent.filter((e) => e.type === "jupyter:run")).toHaveLength(1);
    fireEvent.keyDown(code, { key: "Enter", ctrlKey: true });
    expect(sent.filter((e) => e.type === "jupyter:run")).toHaveLength(2);
    fireEvent.keyDown(code, { key: "n" });
    fireEvent.keyDown(code, { key: "Delete" });
    window.removeEventListener("keydown", reachedWindow);
    expect(reachedWindow).not.toHaveBeenCalled();
  });

  it("disables what the person may not do, saying why", () => {
    const { store, doc } = board();
    // Bea, a project member whose role grants no jupyter permission, on Ada's container.
    const bea = new BoardStore(store.connection, { userId: "bea", name: "Bea", color: "#2563eb" }, { org: ORG, project: PROJECT });
    act(() => setAccess(bea, { orgRole: "member", projectRole: null, visibility: "members" }));
    renderCell(bea);
    expect(button("Run").disabled).toBe(true);
    expect(button("Run").title).toMatch(/do not let you run/);
    expect(screen.getByRole("textbox", { name: "Cell code" }).getAttribute("contenteditable")).toBe("true");
    expect(screen.getByRole("textbox", { name: "Cell code" }).closest(".jp-editor")?.className).toContain("is-readonly");
    expect((screen.getByRole("button", { name: /Python 3 on Training box/ }) as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    // A dead kernel: Run says to restart it.
    act(() => kernelsOf(doc).set("k1", { ...KERNEL, state: "dead", reason: "The container stopped." }));
    renderCell(store);
    expect(button("Run").title).toBe("Python 3 on Training box is dead: restart it first.");
    expect(screen.getByTestId("kernel-state").textContent).toBe("dead");
  });

  it("chooses another kernel, or starts one on a running container and takes it", () => {
    const { store, doc, sent } = board();
    kernelsOf(doc).set("k2", { ...KERNEL, id: "k2", name: "Python 3 on GPU box", state: "starting" });
    containersOf(doc).set("stoppedbox01", record({ id: "stoppedbox01", name: "Stopped box", state: "stopped" }));
    containersOf(doc).set("plainbox0001", record({ id: "plainbox0001", name: "Plain box", services: [] }));
    renderCell(store);
    fireEvent.click(screen.getByRole("button", { name: /Python 3 on Training box/ }));
    const menu = screen.getByRole("menu", { name: "Kernel" });
    // Each kernel with its state's word; the cell's own is checked.
    const radios = within(menu).getAllByRole("menuitemradio");
    expect(radios.map((b) => b.textContent)).toEqual(["Python 3 on GPU boxstarting", "Python 3 on Training boxidle", "No kernel"]);
    expect(radios.map((b) => b.getAttribute("aria-checked"))).toEqual(["false", "true", "false"]);
    fireEvent.click(within(menu).getByRole("menuitemradio", { name: /GPU box/ }));
    expect(sent.at(-1)).toEqual({ type: "jupyter:set-kernel", cell: "c1", kernel: "k2" });

    fireEvent.click(screen.getByRole("button", { name: /Python 3 on Training box/ }));
    const starts = within(screen.getByRole("menu", { name: "Kernel" })).getAllByRole("menuitem");
    // Running containers only; one without Jupyter is offered disabled, saying why.
    expect(starts.map((b) => b.querySelector(".jp-kname")?.textContent)).toEqual(["Plain box", "Training box"]);
    expect((starts[0] as HTMLButtonElement).disabled).toBe(true);
    expect(starts[0]!.title).toMatch(/offers no Jupyter service/);
    fireEvent.click(starts[1]!);
    const [start, set] = sent.slice(-2);
    expect(start).toMatchObject({ type: "jupyter:start-kernel", container: "abc123def456", spec: "python3", name: "Python 3 on Training box" });
    expect(set).toEqual({ type: "jupyter:set-kernel", cell: "c1", kernel: start?.id });
  });
});

describe("cells on the board", () => {
  it("runs the view from the cell's ⋯ menu, from this cell down or all of it", async () => {
    const { store, sent, view, event } = board();
    event({ type: "jupyter:create", id: "c0", viewId: view, x: 0, y: -400, kernel: "k1" });
    renderCell(store);
    fireEvent.click(screen.getByRole("button", { name: "Cell actions" }));
    fireEvent.click(screen.getByRole("menuitem", { name: "Run from here" }));
    await act(async () => {});
    expect(sent.at(-1)).toEqual({ type: "jupyter:run", cells: ["c1"] });
    expect(screen.queryByRole("menu", { name: "Cell actions" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Cell actions" }));
    fireEvent.click(screen.getByRole("menuitem", { name: "Run all cells of this view" }));
    await act(async () => {});
    expect(sent.at(-1)).toEqual({ type: "jupyter:run", cells: ["c0", "c1"] });
  });

  it("undo of a delete brings a cell back where it was, with its code and kernel", () => {
    const { doc, view } = board();
    const saved = nodeViewOf("cell")!.restore!.save(doc, view, "c1");
    expect(nodeViewOf("cell")!.restore!.restore(doc, view, "c1", saved, () => true)).toEqual([
      { type: "jupyter:create", id: "c1", viewId: view, x: 0, y: 0, width: 480, height: 260, kernel: "k1", code: "1 + 1" },
    ]);
  });

  it("a new cell takes the kernel of the project's last run, else the only live kernel", () => {
    const { store, doc, view } = board();
    expect(createCellsCommand(store, view, [{ x: 0, y: 0 }]).events[0]).toMatchObject({ type: "jupyter:create", kernel: "k1", width: 480, height: 260, code: "" });
    kernelsOf(doc).set("k2", { ...KERNEL, id: "k2", state: "idle" });
    // Two idle kernels and no run: the person chooses.
    expect(createCellsCommand(store, view, [{ x: 0, y: 0 }]).events[0]).toMatchObject({ kernel: null });
    cellsOf(doc).set("c1", { ...readCell(doc, "c1")!, kernel: "k2", startedAt: 5 });
    expect(createCellsCommand(store, view, [{ x: 0, y: 0 }]).events[0]).toMatchObject({ kernel: "k2" });
    // Pasted from another project, naming a kernel this one lacks: the default instead.
    expect(createCellsCommand(store, view, [{ x: 0, y: 0, kernel: "elsewhere", code: "x" }]).events[0]).toMatchObject({ kernel: "k2", code: "x" });
  });

  it("runs every cell of the view in reading order, or from one down", async () => {
    const { store, sent, view, event } = board();
    event({ type: "jupyter:create", id: "c2", viewId: view, x: 600, y: 30, kernel: "k1" });
    event({ type: "jupyter:create", id: "c3", viewId: view, x: 0, y: 400, kernel: "k1" });
    event({ type: "notes:create", id: "n1", viewId: view, x: 0, y: 200, text: "not a cell" });
    expect(placementsOf(store.doc).size).toBeGreaterThanOrEqual(4);
    await runView(store);
    expect(sent.at(-1)).toEqual({ type: "jupyter:run", cells: ["c1", "c2", "c3"] });
    await runView(store, "c2");
    expect(sent.at(-1)).toEqual({ type: "jupyter:run", cells: ["c2", "c3"] });
  });
});
