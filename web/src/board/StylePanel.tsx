/**
 * The style bar, under the toolbar: while something is selected, it changes the stroke and
 * fill colour, stroke width and style, font size and arrowheads of the selection (what every
 * selected item's kind draws, as its view declares), and an edge's kind. Each change is one
 * `whiteboard:set-style` (or `core-graph:update-edge`), so the others see it, and one undo step.
 * It has a row of its own, never over the board: a panel floating over the canvas hid the
 * very items people went on to click or resize.
 */
import "./StylePanel.css";
import type { ReactNode } from "react";
import { EDGE_KINDS } from "../../../gateway-do/src/modules/core-graph/schema";
import { ARROWHEADS, type ItemStyle, STROKE_STYLES, type StyleChange, type StyleProperty } from "../../../gateway-do/src/modules/whiteboard/styles";
import { stylesOfType } from "../modules/registry";
import { combine, edgeCommand, styleCommand, styledItems } from "./commands";
import type { BoardFlowEdge, BoardFlowNode, EdgeKind } from "./flow-model";
import { ARROWHEAD_NAMES, DASHES, FILLS, FONT_SIZES, STROKES, STROKE_STYLE_NAMES, STROKE_WIDTHS } from "./style-palette";
import { useBoard, useBoardStore } from "./store-context";

/** What the panel may change of an edge. */
const EDGE_STYLES: readonly StyleProperty[] = ["stroke", "strokeWidth", "strokeStyle", "arrowheads"];
const NO_EDGES: BoardFlowEdge[] = [];

const selectedNodes = (nodes: BoardFlowNode[]) => nodes.filter((n) => n.selected);
const selectedEdges = (edges: BoardFlowEdge[]) => edges.filter((e) => e.selected);

export function StylePanel() {
  const store = useBoardStore();
  const nodes = useBoard((s) => s.nodes);
  const edges = useBoard((s) => s.edges);
  const viewId = useBoard((s) => s.viewId);
  const online = useBoard((s) => s.status === "online");
  const chosenNodes = selectedNodes(nodes);
  const chosenEdges = edges.length > 0 ? selectedEdges(edges) : NO_EDGES;
  const items = [...chosenNodes.map((n) => ({ id: n.id, styles: stylesOfType(n.type), style: (n.data.style ?? {}) as ItemStyle })), ...chosenEdges.map((e) => ({ id: e.id, styles: EDGE_STYLES, style: e.data?.style ?? {} }))];
  const hint = (
    <div className="style-bar" role="region" aria-label="Style">
      <span className="muted">Select something to change its colours, lines and text size.</span>
    </div>
  );
  if (items.length === 0) return hint;
  // What every selected item draws: a property some of them lack is not offered.
  const offered = new Set(items[0]!.styles.filter((p) => items.every((i) => i.styles.includes(p))));
  const edgeKind = chosenEdges.length > 0 && chosenNodes.length === 0 ? chosenEdges[0]!.data?.kind : undefined;
  if (offered.size === 0 && edgeKind === undefined) return hint;
  const current = items[0]!.style;

  const set = (change: StyleChange) => {
    const targets = styledItems(store, items.map((i) => i.id));
    if (targets.length > 0) void store.run(styleCommand(store, viewId, targets, change));
  };
  const setKind = (kind: EdgeKind) => void store.run(combine(chosenEdges.map((e) => edgeCommand(store, e.id, { kind }))));
  const choice = (label: string, pressed: boolean, onClick: () => void, content: ReactNode, className = "") => (
    <button type="button" className={`style-choice ${className}`} aria-label={label} title={label} aria-pressed={pressed} disabled={!online} onClick={onClick}>
      {content}
    </button>
  );

  return (
    <div className="style-bar" role="region" aria-label="Style">
      {offered.has("stroke") && (
        <div className="style-group" role="group" aria-label="Stroke">
          <span className="style-label">Stroke</span>
          {STROKES.map((c) => choice(`Stroke ${c.name}`, current.stroke === c.value, () => set({ stroke: c.value }), <span className="swatch" style={{ background: c.value }} />))}
        </div>
      )}
      {offered.has("fill") && (
        <div className="style-group" role="group" aria-label="Fill">
          <span className="style-label">Fill</span>
          {FILLS.map((c) =>
            choice(`Fill ${c.name}`, current.fill === c.value, () => set({ fill: c.value }), <span className={`swatch${c.value === "none" ? " swatch-none" : ""}`} style={c.value === "none" ? undefined : { background: c.value }} />),
          )}
        </div>
      )}
      {offered.has("strokeWidth") && (
        <div className="style-group" role="group" aria-label="Width">
          <span className="style-label">Width</span>
          {STROKE_WIDTHS.map((w) =>
            choice(`Stroke width ${w}`, current.strokeWidth === w, () => set({ strokeWidth: w }), <svg viewBox="0 0 24 12" aria-hidden="true"><line x1="2" y1="6" x2="22" y2="6" strokeWidth={Math.min(w, 8)} /></svg>),
          )}
        </div>
      )}
      {offered.has("strokeStyle") && (
        <div className="style-group" role="group" aria-label="Line">
          <span className="style-label">Line</span>
          {STROKE_STYLES.map((s) =>
            choice(`Stroke ${STROKE_STYLE_NAMES[s].toLowerCase()}`, (current.strokeStyle ?? "solid") === s, () => set({ strokeStyle: s }), <svg viewBox="0 0 24 12" aria-hidden="true"><line x1="2" y1="6" x2="22" y2="6" strokeWidth="2" strokeDasharray={DASHES[s] === undefined ? undefined : s === "dashed" ? "5 3" : "1.5 3"} /></svg>),
          )}
        </div>
      )}
      {offered.has("arrowheads") && (
        <div className="style-group" role="group" aria-label="Arrows">
          <span className="style-label">Arrows</span>
          {ARROWHEADS.map((a) => choice(ARROWHEAD_NAMES[a], (current.arrowheads ?? "end") === a, () => set({ arrowheads: a }), <span className="arrowhead-choice">{a === "none" ? "—" : a === "end" ? "→" : "↔"}</span>))}
        </div>
      )}
      {offered.has("fontSize") && (
        <div className="style-group" role="group" aria-label="Text">
          <span className="style-label">Text</span>
          {FONT_SIZES.map((f) => choice(`Font size ${f.name}`, current.fontSize === f.value, () => set({ fontSize: f.value }), <span>{f.name}</span>))}
        </div>
      )}
      {edgeKind !== undefined && (
        <label className="style-kind">
          Kind
          <select aria-label="Edge kind" value={edgeKind} disabled={!online} onChange={(e) => setKind(e.target.value as EdgeKind)}>
            {EDGE_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      )}
      {offered.size > 0 && (
        <button type="button" className="style-reset" disabled={!online} onClick={() => set(Object.fromEntries([...offered].map((p) => [p, null])))}>
          Reset style
        </button>
      )}
    </div>
  );
}
