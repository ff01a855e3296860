/**
 * The board benchmark page (`npm run bench:board` opens it in Chromium): N notes with
 * text, edges and a few shapes in a local doc, rendered by the real canvas. It records how
 * long the first render took in `window.benchResult`.
 */
import "../../styles.css";
import "@xyflow/react/dist/style.css";
import "../board.css";
import { ReactFlowProvider } from "@xyflow/react";
import { createRoot } from "react-dom/client";
import { runEvent } from "../../../../gateway-do/src/events/pipeline";
import { Canvas } from "../Canvas";
import { localConnection } from "../local-connection";
import { BoardStore } from "../store";
import { BoardContext } from "../store-context";

declare global {
  interface Window {
    benchResult?: { nodes: number; renderedNodes: number; buildDocMs: number; firstRenderMs: number };
  }
}

const params = new URLSearchParams(location.search);
const count = Number(params.get("n") ?? 2000);
const columns = Math.ceil(Math.sqrt(count * 1.5));
const t0 = performance.now();
const connection = localConnection("bench");
const actor = { userId: "bench", grants: ["*:*"] };
connection.doc.transact(() => {
  for (let i = 0; i < count; i++) {
    runEvent(connection.doc, { type: "notes:create", requestId: `b${i}`, viewId: "main", x: (i % columns) * 300, y: Math.floor(i / columns) * 220, text: `# Note ${i}\nSome text for note ${i}.` }, actor);
  }
});
const ids = [...connection.doc.getMap("core-graph/nodes").keys()];
connection.doc.transact(() => {
  for (let i = 0; i + 1 < ids.length; i += 3) runEvent(connection.doc, { type: "core-graph:connect", requestId: `e${i}`, from: ids[i], to: ids[i + 1], kind: "relates-to" }, actor);
});
const t1 = performance.now();
const store = new BoardStore(connection, { userId: "bench", name: "Bench", color: "#2563eb" });

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
    </ReactFlowProvider>
  </BoardContext.Provider>,
);

// Done when the nodes are in the DOM and a frame has been painted.
const waitRendered = () => {
  const rendered = document.querySelectorAll(".react-flow__node").length;
  if (rendered === 0) return requestAnimationFrame(waitRendered);
  requestAnimationFrame(() =>
    setTimeout(() => {
      window.benchResult = { nodes: count, renderedNodes: document.querySelectorAll(".react-flow__node").length, buildDocMs: t1 - t0, firstRenderMs: performance.now() - t1 };
    }),
  );
};
requestAnimationFrame(waitRendered);
