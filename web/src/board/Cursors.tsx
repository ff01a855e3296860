/** The other people's cursors on this view, with their names, drawn in flow coordinates. */
import { ViewportPortal, useStore } from "@xyflow/react";
import { useBoard } from "./store-context";

export function Cursors() {
  const peers = useBoard((s) => s.peers);
  const viewId = useBoard((s) => s.viewId);
  // Cursors keep their size whatever the zoom.
  const zoom = useStore((s) => s.transform[2]);
  return (
    <ViewportPortal>
      {peers
        .filter((p) => p.view === viewId && p.cursor)
        .map((p) => (
          <div
            key={p.clientId}
            className="peer-cursor"
            data-testid="peer-cursor"
            style={{ transform: `translate(${p.cursor!.x}px, ${p.cursor!.y}px) scale(${1 / zoom})`, color: p.color }}
          >
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
              <path d="M1 1 L1 15 L5 11 L8 17 L10.5 16 L7.5 10 L13 10 Z" fill="currentColor" stroke="white" strokeWidth="1.2" />
            </svg>
            <span style={{ background: p.color }}>{p.name}</span>
          </div>
        ))}
    </ViewportPortal>
  );
}
