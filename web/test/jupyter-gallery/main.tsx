/**
 * Code cells on a real board (the board's Canvas, toolbar and styles, a local doc), for
 * screenshots (screenshots.mjs). Events go through the gateway's own pipeline; a run is played
 * here as the bridge would report it (queued, running, outputs streaming in, done).
 * `?scene=board`: cells with every kind of output; `?scene=cell`: the first two alone; `?scene=hostile`: an
 * output trying to run script.
 */
import "@xyflow/react/dist/style.css";
import "../../src/styles.css";
import "../../src/board/board.css";
import { ReactFlowProvider } from "@xyflow/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { ContainerRecord } from "../../../protocol/containers";
import type { CellOutput, CellRecord, KernelRecord } from "../../../protocol/jupyter";
import { runEvent } from "../../../gateway-do/src/events/pipeline";
import { cellsOf, kernelsOf, outputsOf, readCell } from "../../../gateway-do/src/modules/jupyter/records";
import { modules } from "../../../gateway-do/src/modules/registry";
import { containersOf } from "../../../gateway-do/src/modules/user-containers/records";
import { Canvas } from "../../src/board/Canvas";
import { BoardStore } from "../../src/board/store";
import { BoardContext } from "../../src/board/store-context";
import { Toolbar } from "../../src/board/Toolbar";
import { useBoardActions } from "../../src/board/use-board-actions";
import type { GatewayEvent } from "../../src/gateway/messages";
import type { ConnectionStatus } from "../../src/gateway/provider";
import { boardOverlays } from "../../src/modules/registry";

const ORG = "0d6c3b8e-1f2a-4c3d-9e8f-0a1b2c3d4e5f";
const PROJECT = "5f1e2d3c-4b5a-4697-8877-665544332211";
const now = Date.now();

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
window.fetch = async (input: RequestInfo | URL) => {
  const url = String(input);
  if (url === `/api/orgs/${ORG}`) return json({ id: ORG, name: "Acme", role: "member", createdAt: new Date(now).toISOString() });
  if (url === `/api/orgs/${ORG}/projects/${PROJECT}`) return json({ id: PROJECT, orgId: ORG, name: "Research", visibility: "org", role: "admin", createdAt: new Date(now).toISOString() });
  return json({ error: { code: "not_found", message: `No ${url} here.` } }, 404);
};

const container = (id: string, name: string, over: Partial<ContainerRecord> = {}): ContainerRecord => ({
  id,
  name,
  image: "localhost/kiln-jupyter:1",
  owner: "ada",
  project: PROJECT,
  state: "running",
  share: "project",
  address: "172.16.0.10",
  services: [{ name: "jupyter", port: 8888, protocol: "http" }],
  metrics: null,
  since: now - 40 * 60_000,
  lastSeen: now,
  createdAt: now - 60 * 60_000,
  ...over,
});
const kernel = (id: string, name: string, c: string, state: KernelRecord["state"]): KernelRecord => ({ id, container: c, spec: "python3", name, state, reason: null, since: now - 30 * 60_000, createdBy: "ada" });

/** A small line plot, drawn on a canvas, as a kernel's image/png would arrive (base64). */
function plotPng(): string {
  const canvas = document.createElement("canvas");
  [canvas.width, canvas.height] = [420, 180];
  const g = canvas.getContext("2d")!;
  g.fillStyle = "#fff";
  g.fillRect(0, 0, 420, 180);
  g.strokeStyle = "#d4d4d8";
  g.strokeRect(40, 10, 370, 140);
  for (const [color, phase] of [["#1f77b4", 0], ["#ff7f0e", 1.2]] as const) {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    for (let x = 0; x <= 370; x += 2) {
      const y = 80 - Math.sin(x / 40 + phase) * 55 * Math.exp(-x / 500);
      if (x === 0) g.moveTo(40 + x, y);
      else g.lineTo(40 + x, y);
    }
    g.stroke();
  }
  g.fillStyle = "#52525b";
  g.font = "11px sans-serif";
  g.fillText("t (s)", 210, 170);
  return canvas.toDataURL("image/png").split(",")[1]!;
}

const TABLE =
  '<div><table border="1" class="dataframe"><thead><tr style="text-align: right;"><th></th><th>city</th><th>temp</th><th>rain</th></tr></thead>' +
  "<tbody><tr><th>0</th><td>Lyon</td><td>21.4</td><td>0.0</td></tr><tr><th>1</th><td>Oslo</td><td>12.9</td><td>3.2</td></tr><tr><th>2</th><td>Porto</td><td>24.1</td><td>0.4</td></tr></tbody></table>" +
  "<p>3 rows × 3 columns</p></div>";
const HOSTILE =
  '<b>Table</b><script>document.title = "pwned"; document.body.style.background = "red"</script><img src="x" onerror="document.title = \'pwned\'">' +
  '<iframe src="https://example.com"></iframe><style>body { display: none }</style><a href="javascript:alert(1)">a link</a><form><input name="password" placeholder="password"></form>';
const TRACEBACK = [
  "\u001b[0;31m---------------------------------------------------------------------------\u001b[0m",
  "\u001b[0;31mZeroDivisionError\u001b[0m                         Traceback (most recent call last)",
  "Cell \u001b[0;32mIn[4], line 2\u001b[0m\n\u001b[1;32m      1\u001b[0m rates \u001b[38;5;241m=\u001b[39m [\u001b[38;5;241m3\u001b[39m, \u001b[38;5;241m0\u001b[39m]\n\u001b[0;32m----> 2\u001b[0m \u001b[43m[\u001b[49m\u001b[38;5;241;43m1\u001b[39;49m\u001b[38;5;241;43m/\u001b[39;49m\u001b[43mr\u001b[49m\u001b[43m \u001b[49m\u001b[38;5;28;43;01mfor\u001b[39;49;00m\u001b[43m \u001b[49m\u001b[43mr\u001b[49m\u001b[43m \u001b[49m\u001b[38;5;129;43;01min\u001b[39;49;00m\u001b[43m \u001b[49m\u001b[43mrates\u001b[49m\u001b[43m]\u001b[49m",
  "\u001b[0;31mZeroDivisionError\u001b[0m: division by zero",
];

const scene = new URLSearchParams(location.search).get("scene") ?? "board";
const doc = new Y.Doc();
doc.transact(() => modules.forEach((m) => m.seed?.(doc, 1)));
let seq = 0;
const gateway = (event: GatewayEvent) => runEvent(doc, { ...event, requestId: `r${++seq}` }, { userId: "ada", grants: ["*:*"] }, { newId: () => `id${++seq}` });
containersOf(doc).set("box000000001", container("box000000001", "analysis"));
containersOf(doc).set("gpu000000001", container("gpu000000001", "gpu-trainer", { image: "ghcr.io/acme/trainer:2.1" }));
containersOf(doc).set("sh0000000001", container("sh0000000001", "laptop-shell", { image: "localhost/kiln-terminal:1", services: [] }));
kernelsOf(doc).set("k-analysis", kernel("k-analysis", "Python 3 on analysis", "box000000001", "idle"));
kernelsOf(doc).set("k-gpu", kernel("k-gpu", "Python 3 on gpu-trainer", "gpu000000001", "busy"));

/** A cell as the gateway makes it, then its last run as the bridge reported it. */
function cell(id: string, at: { x: number; y: number; width?: number; height?: number }, k: string, code: string, outputs: CellOutput[], run: Partial<CellRecord> = {}) {
  gateway({ type: "jupyter:create", id, viewId: "main", ...at, kernel: k, code });
  outputsOf(doc).get(id)!.push(outputs);
  cellsOf(doc).set(id, { ...readCell(doc, id)!, run: "done", runId: `run-${id}`, ranBy: "ada", startedAt: now - 60_000, endedAt: now - 58_000, ...run });
}

if (scene === "hostile") {
  cell("hostile", { x: 0, y: 0, width: 520, height: 300 }, "k-analysis", "from IPython.display import HTML\nHTML(untrusted)", [{ type: "result", count: 1, data: { "text/html": HOSTILE, "text/plain": "<IPython.core.display.HTML object>" } }], { executionCount: 1 });
} else {
  cell(
    "load",
    { x: 0, y: 0, width: 520, height: 300 },
    "k-analysis",
    'import pandas as pd\nprint("loading weather.csv")\ndf = pd.read_csv("weather.csv")\nprint(f"{len(df)} rows")\ndf.head(3)',
    [
      { type: "stream", name: "stdout", text: "loading " },
      { type: "stream", name: "stdout", text: "weather.csv\n" },
      { type: "stream", name: "stdout", text: "3 rows\n" },
      { type: "result", count: 2, data: { "text/html": TABLE, "text/plain": "    city  temp  rain" } },
    ],
    { executionCount: 2 },
  );
  cell(
    "plot",
    { x: 560, y: 10, width: 520, height: 360 },
    "k-analysis",
    "import matplotlib.pyplot as plt\nplt.plot(t, damped(t)); plt.plot(t, damped(t + 1.2))\nplt.xlabel('t (s)'); plt.show()",
    [
      { type: "stream", name: "stderr", text: "UserWarning: FigureCanvasAgg is non-interactive\n" },
      { type: "display", data: { "image/png": plotPng(), "text/plain": "<Figure size 640x280 with 1 Axes>" } },
    ],
    { executionCount: 3 },
  );
  // The rest of the board: an error, a run under way, markdown and a notice, an empty cell.
  if (scene === "board") {
    cell("error", { x: 0, y: 340, width: 520, height: 250 }, "k-analysis", "rates = [3, 0]\n[1/r for r in rates]", [{ type: "error", ename: "ZeroDivisionError", evalue: "division by zero", traceback: TRACEBACK }], {
      executionCount: 4,
      run: "error",
    });
    cell(
      "train",
      { x: 560, y: 410, width: 520, height: 180 },
      "k-gpu",
      "for epoch in range(10):\n    loss = train_one_epoch(model)\n    print(f'epoch {epoch}: loss {loss:.3f}')",
      [
        { type: "stream", name: "stdout", text: "epoch 0: loss 0.912\nepoch 1: loss 0.604\n" },
        { type: "stream", name: "stdout", text: "epoch 2: loss 0.471\n" },
      ],
      { run: "running", executionCount: null, endedAt: null },
    );
    cell("notes", { x: 1120, y: 0, width: 380, height: 200 }, "k-analysis", 'from IPython.display import Markdown\nMarkdown("**Mean temp**: 19.5 °C — *3 cities*")', [{ type: "result", count: 5, data: { "text/markdown": "**Mean temp**: 19.5 °C — *3 cities*", "text/plain": "<IPython.core.display.Markdown object>" } }, { type: "notice", text: "Output past 1 MiB was not kept (412 KB dropped)." }], { executionCount: 5 });
    cell("next", { x: 1120, y: 240, width: 380, height: 160 }, "k-analysis", "", [], { run: "idle", runId: null, startedAt: null, endedAt: null });
  }
}

/** What the gateway and the bridge would do with an event: the pipeline, and a run played out. */
async function sendEvent(event: GatewayEvent) {
  if (event.type === "jupyter:run") {
    for (const id of event.cells as string[]) {
      outputsOf(doc).get(id)?.delete(0, outputsOf(doc).get(id)!.length);
      cellsOf(doc).set(id, { ...readCell(doc, id)!, run: "queued", executionCount: null });
    }
    void (async () => {
      for (const id of event.cells as string[]) {
        cellsOf(doc).set(id, { ...readCell(doc, id)!, run: "running", startedAt: Date.now() });
        for (let i = 0; i < 3; i++) {
          await new Promise((r) => setTimeout(r, 300));
          outputsOf(doc).get(id)?.push([{ type: "stream", name: "stdout", text: `step ${i}\n` }]);
        }
        cellsOf(doc).set(id, { ...readCell(doc, id)!, run: "done", executionCount: 6 + seq++, endedAt: Date.now() });
      }
    })();
    return { requestId: "r", ok: true as const };
  }
  const outcome = gateway(event);
  return outcome.ok ? { requestId: "r", ok: true as const } : { requestId: "r", ok: false as const, error: outcome.error };
}

const connection = { doc, awareness: new Awareness(doc), status: "online" as ConnectionStatus, deniedReason: null, sendEvent, on: () => () => {} };
const store = new BoardStore(connection, { userId: "ada", name: "Ada", color: "#e11d48" }, { org: ORG, project: PROJECT });

function Board() {
  const actions = useBoardActions();
  return (
    <div className="editor" style={{ height: "100vh" }}>
      <Toolbar actions={actions} edgeKind="relates-to" onEdgeKind={() => {}} />
      <div className="editor-body">
        <Canvas edgeKind="relates-to" />
      </div>
      {boardOverlays().map((Overlay, i) => (
        <Overlay key={i} />
      ))}
    </div>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BoardContext.Provider value={store}>
      <ReactFlowProvider>
        <Board />
      </ReactFlowProvider>
    </BoardContext.Provider>
  </StrictMode>,
);
