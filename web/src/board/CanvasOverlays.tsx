/** Drawn over the canvas: the zoom in percent (click: 100 %) and, on an empty view, what to do first. */
import { Panel, type ReactFlowState, useStore } from "@xyflow/react";
import { createTools } from "../modules/registry";

const zoomPercent = (s: ReactFlowState) => Math.round(s.transform[2] * 100);

/** The zoom, in percent, beside the zoom buttons; a click goes back to 100 %. */
export function ZoomPercent({ onClick }: { onClick: () => void }) {
  const percent = useStore(zoomPercent);
  return (
    <Panel position="bottom-left" className="zoom-percent-panel">
      <button type="button" className="zoom-percent" title="Zoom to 100% (Ctrl+0)" aria-label={`Zoom ${percent}%, click for 100%`} onClick={onClick}>
        {percent}%
      </button>
    </Panel>
  );
}

/** A tool's name without its key hint: "New note (N)" → "New note". */
const nameOf = (title: string) => title.replace(/\s*\([^)]*\)$/, "");

/** An empty view says how to start: double-click, or a tool's key. Never in the way (clicks pass through). */
export function EmptyBoardHint() {
  const tools = createTools();
  const onDoubleClick = tools.find((t) => t.onDoubleClick);
  const keyed = tools.filter((t) => t.key);
  return (
    <div className="empty-board-hint" data-testid="empty-board-hint">
      <p className="empty-board-title">This view is empty</p>
      {onDoubleClick && <p>Double-click anywhere for a {nameOf(onDoubleClick.title).toLowerCase().replace(/^new /, "new ")}, or press a key:</p>}
      <ul>
        {keyed.map((t) => (
          <li key={t.title}>
            <kbd>{t.key!.toUpperCase()}</kbd> {nameOf(t.title)}
          </li>
        ))}
      </ul>
      <p className="muted">Right-click for more · Ctrl+V pastes text as a note</p>
    </div>
  );
}
