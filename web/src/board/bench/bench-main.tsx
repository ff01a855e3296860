/**
 * The board benchmark page (`npm run bench:board` opens it in Chromium): N notes with
 * text, edges and a few shapes in a local doc, rendered by the real canvas. It records how
 * long the first render took in `window.benchResult`.
 */
import "../../styles.css";
import "@xyflow/react/dist/style.css";
import "../board.css";
import { type ReactFlowInstance, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import * as Y from "yjs";
import { createRoot } from "react-dom/client";
import { runEvent } from "../../../../gateway-do/src/client";
import { Canvas } from "../Canvas";
import { localConnection } from "../local-connection";
import { BoardStore } from "../store";
import { BoardContext } from "../store-context";
import { FAR_ZOOM } from "../zoom";

declare global {
  interface Window {
    benchResult?: BenchResult;
    /** The board's xyflow instance, for the benchmark to zoom to a given level. */
    benchFlow?: ReactFlowInstance;
  }
}

const params = new URLSearchParams(location.search);
const count = Number(params.get("n") ?? 2000);
const columns = Math.ceil(Math.sqrt(count * 1.5));
/** What the page measured: the doc's build (the benchmark's own), then the first render's parts. */
interface BenchResult {
  nodes: number;
  /** Items drawn: DOM nodes, or the far board's canvas items. */
  renderedNodes: number;
  drawnAs: "dom" | "canvas";
  buildDocMs: number;
  /** Applying the doc as it comes from the gateway (one update). */
  decodeMs: number;
  /** The store's first snapshot: flow-model's nodes and edges. */
  flowModelMs: number;
  /** From the doc decoded to the fitted board drawn and a frame painted (decode, flow-model and React included). */
  firstRenderMs: number;
}

const t0 = performance.now();
const source = localConnection("bench");
const actor = { userId: "bench", grants: ["*:*"] };
source.doc.transact(() => {
  for (let i = 0; i < count; i++) {
    runEvent(source.doc, { type: "notes:create", requestId: `b${i}`, viewId: "main", x: (i % columns) * 300, y: Math.floor(i / columns) * 220, text: `# Note ${i}\nSome text for note ${i}.` }, actor);
  }
});
const ids = [...source.doc.getMap("core-graph/nodes").keys()];
source.doc.transact(() => {
  for (let i = 0; i + 1 < ids.length; i += 3) runEvent(source.doc, { type: "core-graph:connect", requestId: `e${i}`, from: ids[i], to: ids[i + 1], kind: "relates-to" }, actor);
});
// The board receives the project as the gateway sends it: one update, applied to its doc.
const update = Y.encodeStateAsUpdate(source.doc);
const t1 = performance.now();
const connection = localConnection("bench");
Y.applyUpdate(connection.doc, update);
const decoded = performance.now();
const store = new BoardStore(connection, { userId: "bench", name: "Bench", color: "#2563eb" });
store.getSnapshot();
const modelled = performance.now();

function ExposeFlow() {
  window.benchFlow = useReactFlow();
  return null;
}

// Laid out as on the project page (styles.css, .board-frame > .editor): absolutely placed in a
// window that does not scroll. A position: fixed root made Chromium composite some 150 of the
// board's nodes and edges as layers of their own ("overlap"); absolutely placed, none are.
document.body.style.overflow = "hidden";
const root = document.getElementById("root")!;
root.style.cssText = "position:absolute;inset:0;display:flex";
createRoot(root).render(
  <BoardContext.Provider value={store}>
    <ReactFlowProvider>
      <Canvas edgeKind="relates-to" />
      <ExposeFlow />
    </ReactFlowProvider>
  </BoardContext.Provider>,
);

// Done when the board is fitted and drawn (zoomed far out on the far board's canvas, else in the
// DOM) and a frame has been painted. It opens at 100 % and is fitted at once: these boards fit far below.
const drawn = () => {
  const onCanvas = Number(document.querySelector<HTMLElement>("[data-testid=far-board]")?.dataset.items ?? 0);
  return onCanvas > 0 ? { renderedNodes: onCanvas, drawnAs: "canvas" as const } : { renderedNodes: document.querySelectorAll(".react-flow__node").length, drawnAs: "dom" as const };
};
const waitRendered = () => {
  const zoom = window.benchFlow?.getZoom() ?? 1;
  const now = drawn();
  if (now.renderedNodes === 0 || (now.drawnAs === "dom" && zoom < FAR_ZOOM) || zoom === 1) return requestAnimationFrame(waitRendered);
  requestAnimationFrame(() =>
    setTimeout(() => {
      window.benchResult = { nodes: count, ...drawn(), buildDocMs: t1 - t0, decodeMs: decoded - t1, flowModelMs: modelled - decoded, firstRenderMs: performance.now() - t1 };
    }),
  );
};
requestAnimationFrame(waitRendered);
