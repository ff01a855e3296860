/**
 * Arrow keys move the selected nodes and shapes 5 px (Shift: 20), as xyflow's own nudge does,
 * but as a drag made with keys: shown at once and to the others live (awareness), then sent as
 * one `whiteboard:move` (shapes: `whiteboard:update-shape`) once the keys rest, one undo step.
 * xyflow's nudge only moved the node on this screen: nothing was sent, so the others and a
 * reload kept the old place. It never sees these keys.
 */
import { useEffect } from "react";
import { moveCommand } from "./commands";
import type { BoardFlowNode } from "./flow-model";
import type { BoardStore } from "./store";

const STEP = 5;
const SHIFT_STEP = 20;
/** Keys pressed closer together than this are one nudge (one event, one undo step). */
export const NUDGE_SETTLE_MS = 400;

const DIRECTIONS: Record<string, { x: number; y: number }> = {
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
};

type Point = { x: number; y: number };

interface Nudge {
  viewId: string;
  from: Map<string, Point>;
  at: Map<string, Point>;
  timer: ReturnType<typeof setTimeout> | null;
  unregister: () => void;
}

/** True when an arrow key on `target` is for the board: a focused node, the selection box or the far board (FarBoard), not a field in it. */
function onBoardItem(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement) || target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT", "BUTTON"].includes(target.tagName)) return false;
  return target.closest(".react-flow__node, .react-flow__nodesselection, .far-board") !== null;
}

/** The selected items a nudge moves: movable, and not inside a selected group (which carries them). */
function movable(nodes: readonly BoardFlowNode[]): BoardFlowNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const carried = (n: BoardFlowNode) => {
    for (let parent = n.parentId; parent; parent = byId.get(parent)?.parentId) if (byId.get(parent)?.selected) return true;
    return false;
  };
  return nodes.filter((n) => n.selected && n.draggable !== false && !carried(n));
}

export function useNudge(store: BoardStore): void {
  useEffect(() => {
    const owner = Symbol("nudge");
    let nudge: Nudge | null = null;

    const send = () => {
      const done = nudge;
      if (!done) return;
      nudge = null;
      if (done.timer) clearTimeout(done.timer);
      done.unregister();
      store.setPresence({ drag: null });
      for (const id of done.at.keys()) if (store.positions.get(id)?.owner === owner) store.positions.delete(id);
      const moves = [...done.at].map(([id, to]) => ({ id, ...to, from: done.from.get(id)! })).filter((m) => m.x !== m.from.x || m.y !== m.from.y);
      if (moves.length > 0) void store.run(moveCommand(store, done.viewId, moves));
      else store.touch();
    };

    const onKey = (e: KeyboardEvent) => {
      const direction = DIRECTIONS[e.key];
      if (!direction || e.ctrlKey || e.metaKey || e.altKey || !onBoardItem(e.target)) return;
      // Captured before xyflow's handler, which would move the node here and send nothing.
      e.preventDefault();
      e.stopPropagation();
      const snapshot = store.getSnapshot();
      const items = movable(snapshot.nodes);
      if (items.length === 0) return;
      if (nudge && nudge.viewId !== snapshot.viewId) send();
      nudge ??= { viewId: snapshot.viewId, from: new Map(), at: new Map(), timer: null, unregister: store.gathering(send) };
      const step = e.shiftKey ? SHIFT_STEP : STEP;
      for (const item of items) {
        const now = nudge.at.get(item.id) ?? { x: Math.round(item.position.x), y: Math.round(item.position.y) };
        if (!nudge.from.has(item.id)) nudge.from.set(item.id, now);
        const next = { x: now.x + direction.x * step, y: now.y + direction.y * step };
        nudge.at.set(item.id, next);
        store.positions.set(item.id, { ...next, owner });
      }
      store.setPresence({ drag: [...nudge.at].map(([id, p]) => ({ id, ...p })) });
      store.touch();
      if (nudge.timer) clearTimeout(nudge.timer);
      nudge.timer = setTimeout(send, NUDGE_SETTLE_MS);
    };

    window.addEventListener("keydown", onKey, { capture: true });
    return () => {
      window.removeEventListener("keydown", onKey, { capture: true });
      send();
    };
  }, [store]);
}
