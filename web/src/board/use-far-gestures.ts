/**
 * The far board's pointer: zoomed far out no DOM node is under the pointer, so clicks are
 * hit-tested on the scene's geometry (far-scene.ts). On an item, a click selects it (Shift, Ctrl
 * or Cmd adds or removes it), a drag moves the selection (shared live like a DOM drag, one
 * `whiteboard:move` on drop, in or out of frames as in the DOM), a double-click zooms in to it, a right-click opens its menu. On
 * empty canvas the pane pans and zooms as ever (xyflow), and Shift+drag selects a box.
 */
import { useReactFlow } from "@xyflow/react";
import { type RefObject, useEffect } from "react";
import { dropCommand } from "./commands";
import type { BoardFlowNode } from "./flow-model";
import { type FarItem, type FarScene, hitAt, itemsInside } from "./far-scene";
import type { Box } from "./spatial-index";
import { useBoardStore } from "./store-context";

/** How far, in screen px, the pointer moves before a press on an item becomes a drag. */
const DRAG_PX = 3;
/** How near a line (an edge, an arrow) counts as on it, in screen px. */
const SLACK_PX = 6;
const FAR_DRAG = Symbol("far-drag");

export interface FarGestureTargets {
  scene: RefObject<FarScene | null>;
  /** The selection rectangle being dragged, drawn by the far board. */
  box: RefObject<Box | null>;
  redraw: () => void;
  onNodeContextMenu: (e: MouseEvent, node: BoardFlowNode) => void;
}

/** Listens on the board (`.react-flow`, the canvas's parent) while it is zoomed far out. */
export function useFarGestures(canvas: RefObject<HTMLCanvasElement | null>, far: boolean, targets: FarGestureTargets): void {
  const store = useBoardStore();
  const flow = useReactFlow();
  useEffect(() => {
    const board = canvas.current?.parentElement;
    if (!far || !board) return;
    const { scene, box, redraw } = targets;
    const onPane = (e: Event) => e.target instanceof Element && e.target.closest(".react-flow__pane") !== null;
    const hit = (e: MouseEvent) => {
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      return scene.current ? hitAt(scene.current, at.x, at.y, SLACK_PX / flow.getZoom()) : null;
    };
    const nodeOf = (id: string) => store.getSnapshot().nodes.find((n) => n.id === id);

    /** A press the far board handles: xyflow (its pan, its pane click) never sees it. */
    let press: {
      pointerId: number;
      start: { x: number; y: number };
      item: FarItem | null;
      boxFrom: { x: number; y: number } | null;
      moving: { id: string; from: { x: number; y: number } }[] | null;
    } | null = null;
    /** Whether the last press was the far board's: then its mouse, touch and click events are too. */
    let claimed = false;

    const onPointerDown = (e: PointerEvent) => {
      claimed = false;
      if (e.button !== 0 || !onPane(e) || !scene.current) return;
      const found = hit(e);
      const adding = e.shiftKey || e.ctrlKey || e.metaKey;
      if (!found && !e.shiftKey) return; // the pane pans
      e.stopPropagation();
      claimed = true;
      board.setPointerCapture(e.pointerId);
      // The board's keys (arrows nudge, Delete) act on what the far board selects, as on a focused node.
      canvas.current?.focus({ preventScroll: true });
      press = { pointerId: e.pointerId, start: { x: e.clientX, y: e.clientY }, item: null, boxFrom: null, moving: null };
      if (!found) {
        press.boxFrom = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        return;
      }
      const id = found.kind === "node" ? found.item.id : found.edge.id;
      const selection = new Set(store.selected);
      if (adding && selection.has(id)) selection.delete(id);
      else if (adding) selection.add(id);
      else if (!selection.has(id)) selection.clear(), selection.add(id);
      store.setSelection(selection);
      if (found.kind === "node" && selection.has(id)) press.item = found.item;
    };

    const startMoving = () => {
      const current = scene.current;
      if (!current) return [];
      const chosen = new Set([...store.selected].filter((id) => current.byId.get(id)?.draggable));
      // A child moves with its group: only the outermost chosen items are moved.
      const outermost = [...chosen].filter((id) => {
        for (let up = current.byId.get(id)?.parentId, hops = 0; up && hops < 100; up = current.byId.get(up)?.parentId, hops++) if (chosen.has(up)) return false;
        return true;
      });
      return outermost.flatMap((id) => {
        const node = nodeOf(id);
        return node ? [{ id, from: { ...node.position } }] : [];
      });
    };

    const onPointerMove = (e: PointerEvent) => {
      if (!press || e.pointerId !== press.pointerId) return hover(e);
      const [dx, dy] = [e.clientX - press.start.x, e.clientY - press.start.y];
      if (press.boxFrom) {
        const to = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        box.current = { x: Math.min(press.boxFrom.x, to.x), y: Math.min(press.boxFrom.y, to.y), width: Math.abs(to.x - press.boxFrom.x), height: Math.abs(to.y - press.boxFrom.y) };
        return redraw();
      }
      if (!press.item?.draggable) return;
      if (!press.moving) {
        if (Math.hypot(dx, dy) < DRAG_PX) return;
        press.moving = startMoving();
        board.classList.add("far-dragging");
      }
      const zoom = flow.getZoom();
      const drag = press.moving.map((m) => ({ id: m.id, x: Math.round(m.from.x + dx / zoom), y: Math.round(m.from.y + dy / zoom) }));
      for (const d of drag) store.positions.set(d.id, { x: d.x, y: d.y, owner: FAR_DRAG });
      store.setPresence({ drag, cursor: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
      store.touch();
    };

    const onPointerUp = (e: PointerEvent) => {
      if (!press || e.pointerId !== press.pointerId) return;
      const { moving, boxFrom } = press;
      press = null;
      board.classList.remove("far-dragging");
      if (boxFrom) {
        const area = box.current;
        box.current = null;
        if (area && scene.current) store.setSelection(new Set([...store.selected, ...itemsInside(scene.current, area).map((i) => i.id)]));
        return redraw();
      }
      if (!moving) return;
      const moves = moving.flatMap((m) => {
        const at = store.positions.get(m.id);
        return at && at.owner === FAR_DRAG && (at.x !== m.from.x || at.y !== m.from.y) ? [{ id: m.id, x: at.x, y: at.y, from: m.from }] : [];
      });
      store.setPresence({ drag: null });
      const drop = moves.length > 0 ? dropCommand(store, store.getSnapshot().viewId, moves) : null;
      for (const m of moving) if (store.positions.get(m.id)?.owner === FAR_DRAG) store.positions.delete(m.id);
      if (drop) void store.run(drop);
      else store.touch();
    };

    const swallow = (e: Event) => {
      if (!claimed) return;
      e.stopPropagation();
      // No text selection while dragging, and the focus stays on the canvas.
      if (e.type === "mousedown") e.preventDefault();
    };
    const onClick = (e: MouseEvent) => {
      if (claimed) {
        claimed = false;
        return e.stopPropagation();
      }
      // A click on empty canvas deselects edges too (xyflow, which has none of them zoomed out, only nodes).
      if (onPane(e) && !e.shiftKey && !e.ctrlKey && !e.metaKey && store.selected.size > 0) store.setSelection(new Set());
    };
    const onDoubleClick = (e: MouseEvent) => {
      // After a press the far board took, the pointer is captured: the event is the board's own.
      if (!onPane(e) && e.target !== board) return;
      const found = hit(e);
      if (!found) return; // a double-click on empty canvas makes a note (Canvas)
      e.stopPropagation();
      const thing = found.kind === "node" ? found.item : found.edge;
      // Close enough to work on it (100 %), or to see it whole when it is bigger than the screen (a group).
      const zoom = Math.min(1, (0.75 * board.clientWidth) / Math.max(thing.width, 1), (0.75 * board.clientHeight) / Math.max(thing.height, 1));
      void flow.setCenter(thing.x + thing.width / 2, thing.y + thing.height / 2, { zoom, duration: 300 });
    };
    const onContextMenu = (e: MouseEvent) => {
      if (!onPane(e)) return;
      const found = hit(e);
      const node = found?.kind === "node" ? nodeOf(found.item.id) : undefined;
      if (!node) return; // the pane's menu
      e.stopPropagation();
      targets.onNodeContextMenu(e, node);
    };
    let hovering = 0;
    const hover = (e: PointerEvent) => {
      if (e.buttons !== 0 || hovering || !onPane(e)) return;
      hovering = requestAnimationFrame(() => {
        hovering = 0;
        board.classList.toggle("far-over-item", hit(e) !== null);
      });
    };

    const capture = { capture: true };
    const listeners: [string, EventListener][] = [
      ["pointerdown", onPointerDown as EventListener],
      ["pointermove", onPointerMove as EventListener],
      ["pointerup", onPointerUp as EventListener],
      ["pointercancel", onPointerUp as EventListener],
      ["mousedown", swallow],
      ["touchstart", swallow],
      ["click", onClick as EventListener],
      ["dblclick", onDoubleClick as EventListener],
      ["contextmenu", onContextMenu as EventListener],
    ];
    for (const [type, listener] of listeners) board.addEventListener(type, listener, capture);
    return () => {
      for (const [type, listener] of listeners) board.removeEventListener(type, listener, capture);
      cancelAnimationFrame(hovering);
      board.classList.remove("far-over-item", "far-dragging");
    };
  }, [far, canvas, store, flow, targets]);
}
