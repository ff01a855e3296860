/** What every node on the board shares: connection handles, resizing, the lock badge, others' selection marks. */
import { Handle, NodeResizer, Position } from "@xyflow/react";
import { type CSSProperties, type ReactNode, useRef } from "react";
import type { ItemStyle } from "../../../../gateway-do/src/modules/whiteboard/styles";
import { resizeCommand } from "../commands";
import type { PeerMark } from "../flow-model";
import { Icon } from "../Icon";
import { useBoardStore } from "../store-context";

interface Props {
  id: string;
  kind: string;
  selected: boolean;
  locked: boolean;
  selectedBy: PeerMark[];
  minWidth?: number;
  minHeight?: number;
  /** Shapes have no edges. */
  connectable?: boolean;
  /** Drawn zoomed out: no resize handles. */
  far?: boolean;
  /** An arrow bound to items follows them: it is not resized by hand. */
  resizable?: boolean;
  /** Resizing keeps its width-to-height ratio (an image). */
  keepAspectRatio?: boolean;
  /** Its style on this view, handed to the kind's CSS as variables (--item-stroke, --item-fill…) that fall back to the kind's own look. */
  look?: ItemStyle;
  children: ReactNode;
}

/** A style as CSS variables: each kind's CSS reads them with its own defaults. */
export function lookVariables(look: ItemStyle | undefined): CSSProperties {
  const vars: Record<string, string> = {};
  if (!look) return vars;
  if (look.stroke) vars["--item-stroke"] = look.stroke;
  if (look.fill) vars["--item-fill"] = look.fill === "none" ? "transparent" : look.fill;
  if (look.strokeWidth) vars["--item-stroke-width"] = `${look.strokeWidth}px`;
  if (look.strokeStyle) vars["--item-stroke-style"] = look.strokeStyle;
  if (look.fontSize) vars["--item-font-size"] = `${look.fontSize}px`;
  return vars;
}

export function NodeFrame({ id, kind, selected, locked, selectedBy, minWidth = 80, minHeight = 40, connectable = true, far = false, resizable = true, keepAspectRatio = false, look, children }: Props) {
  const store = useBoardStore();
  const from = useRef<{ x: number; y: number; width: number; height: number } | null>(null);
  const mark = selectedBy[0];
  return (
    <div
      className={`board-node board-${kind}${selected ? " is-selected" : ""}${locked ? " is-locked" : ""}${far ? " is-far" : ""}`}
      style={{ ...lookVariables(look), ...(mark ? { outline: `2px solid ${mark.color}`, outlineOffset: 3 } : {}) }}
      data-testid={`node-${kind}`}
    >
      {mark && (
        <span className="peer-mark" style={{ background: mark.color }}>
          {selectedBy.map((m) => m.name).join(", ")}
        </span>
      )}
      {/* Every locked item says so, whatever its kind and zoom (a note in a locked group too). */}
      {locked && (
        <span className="lock-badge">
          <Icon name="lock" title="Locked" />
        </span>
      )}
      <NodeResizer
        isVisible={selected && !locked && !far && resizable}
        minWidth={minWidth}
        minHeight={minHeight}
        keepAspectRatio={keepAspectRatio}
        color="var(--accent)"
        onResizeStart={(_, p) => (from.current = { x: p.x, y: p.y, width: p.width, height: p.height })}
        onResizeEnd={(_, p) => {
          const start = from.current;
          from.current = null;
          if (!start) return;
          const to = { x: Math.round(p.x), y: Math.round(p.y), width: Math.round(p.width), height: Math.round(p.height) };
          void store.run(resizeCommand(store, store.getSnapshot().viewId, id, to, start));
        }}
      />
      {connectable && (
        <>
          <Handle type="target" position={Position.Left} className="board-handle" />
          <Handle type="source" position={Position.Right} className="board-handle" />
        </>
      )}
      {children}
    </div>
  );
}
