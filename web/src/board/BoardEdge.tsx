/**
 * An edge between two nodes, drawn in its style on this view (colour, width, dashes; its
 * arrowheads are xyflow markers set by flow-model) with its label: its own words, or its kind
 * in grey. Double-click the edge (or its label) to write the label: Enter or leaving the field
 * sends it, Escape cancels, an empty label shows the kind again.
 */
import "./StylePanel.css";
import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from "@xyflow/react";
import { useRef, useState } from "react";
import { edgeCommand } from "./commands";
import { requestEdit, useEditRequest } from "./edit-request";
import { InlineEditor } from "./InlineEditor";
import { DEFAULT_EDGE_WIDTH, EDGE_INK, type BoardFlowEdge } from "./flow-model";
import { DASHES } from "./style-palette";
import { useBoardStore } from "./store-context";

const MAX_LABEL = 200;

export function BoardEdge({ id, data, selected, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, markerStart }: EdgeProps<BoardFlowEdge>) {
  const store = useBoardStore();
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const [editing, setEditing] = useState(false);
  const done = useRef(false);
  const style = data?.style ?? {};
  useEditRequest(id, () => {
    done.current = false;
    setEditing(true);
  });

  const finish = (value: string | null) => {
    if (done.current) return;
    done.current = true;
    setEditing(false);
    if (value === null) return;
    const label = value.trim().slice(0, MAX_LABEL);
    if (label !== (data?.label ?? "")) void store.run(edgeCommand(store, id, { label }));
  };

  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        markerStart={markerStart}
        interactionWidth={16}
        style={{ stroke: style.stroke ?? EDGE_INK, strokeWidth: style.strokeWidth ?? DEFAULT_EDGE_WIDTH, strokeDasharray: DASHES[style.strokeStyle ?? "solid"] }}
        className={selected ? "is-selected" : undefined}
      />
      <EdgeLabelRenderer>
        <div
          className={`edge-label nodrag nopan${data?.label ? "" : " is-kind"}${selected ? " is-selected" : ""}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`, zIndex: data?.z }}
          data-testid="edge-label"
          data-edge={id}
          onDoubleClick={(e) => {
            e.stopPropagation();
            requestEdit(store, id);
          }}
          title="Double-click to label"
          // A click on the label selects its edge, as one on the line does (with Shift or Ctrl, adds it).
          onClick={(e) => {
            e.stopPropagation();
            const adding = e.shiftKey || e.ctrlKey || e.metaKey;
            store.setSelection(new Set(adding ? [...store.selected, id] : [id]));
          }}
        >
          {editing ? (
            <InlineEditor className="edge-label-editor" aria-label="Edge label" defaultValue={data?.label ?? ""} placeholder={data?.kind} maxLength={MAX_LABEL} onDone={finish} />
          ) : (
            (data?.label ?? data?.kind)
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}
