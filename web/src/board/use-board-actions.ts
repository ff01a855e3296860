/** The board's actions, shared by the toolbar, the context menu and the keyboard shortcuts; what each module creates comes from web/src/modules/. */
import { useReactFlow } from "@xyflow/react";
import { useMemo } from "react";
import { nodesOf } from "../../../gateway-do/src/modules/core-graph";
import { type CreateTool, createdIds } from "../modules/kit";
import { createTools, fileTakers } from "../modules/registry";
import { isGroup } from "../modules/whiteboard";
import { type Clipboard, copySelection, pasteCommand, pastePlace } from "./clipboard";
import { type Alignment, type Axis, align, distribute } from "./arrange";
import { arrangeCommand, deleteCommand, groupCommand, lockCommand, moveCommand, ungroupCommand } from "./commands";
import { requestEdit } from "./edit-request";
import { exportBoard } from "./ExportMenu";
import { openSearch } from "./Search";
import { shapeIdOf } from "./flow-model";
import { type Box, PASTE_OFFSET, type Point, centredOn, freeSpot } from "./placement";
import { useBoardStore } from "./store-context";
import { FIT_VIEW } from "./zoom";

/** Where to create: a corner (the right-click menu's "here"), a point to centre on (a double-click), or where the person is working. */
export type Where = { corner: Point } | { centre: Point } | undefined;

const DEFAULT_SIZE = { width: 200, height: 120 };
const ZOOM = { duration: 200 };

/** Ctrl+C's items; one per page, so Ctrl+V on another view of this project pastes them there. */
let clipboard: Clipboard | null = null;

/**
 * When the person last pressed a key or the pointer on this page. What a tool creates is
 * selected (and opened for typing) once the gateway has answered; someone who pressed anything
 * meanwhile (Escape, a click elsewhere, another tool's key) has moved on, and the answer must
 * not take their selection or their keys. Event times and `performance.now()` share one clock.
 */
let lastPress = 0;
if (typeof window !== "undefined") {
  const pressed = (e: Event) => void (lastPress = Math.max(lastPress, e.timeStamp));
  window.addEventListener("keydown", pressed, { capture: true });
  window.addEventListener("pointerdown", pressed, { capture: true });
}

export function useBoardActions() {
  const store = useBoardStore();
  const flow = useReactFlow();
  return useMemo(() => {
    const viewId = () => store.getSnapshot().viewId;
    /** What the person sees of the board, in flow coordinates. */
    const inView = (): Box => {
      const pane = document.querySelector(".board-canvas")?.getBoundingClientRect();
      const from = flow.screenToFlowPosition({ x: pane?.left ?? 0, y: pane?.top ?? 0 });
      const to = flow.screenToFlowPosition({ x: (pane?.left ?? 0) + (pane?.width || 800), y: (pane?.top ?? 0) + (pane?.height || 600) });
      return { x: from.x, y: from.y, width: to.x - from.x, height: to.y - from.y };
    };
    /** Every node's box on this view, in flow coordinates (a group's children where they are drawn). */
    const taken = (): Box[] =>
      flow.getNodes().flatMap((n) => {
        const at = flow.getInternalNode(n.id)?.internals.positionAbsolute ?? n.position;
        const width = n.measured?.width ?? n.width;
        const height = n.measured?.height ?? n.height;
        return width && height ? [{ x: at.x, y: at.y, width, height }] : [];
      });
    /** The corner of something of `size` made where the person works: at the pointer on the board, else the free spot nearest the middle of the view. */
    const placeFor = (size: { width: number; height: number }, where: Where): Point => {
      if (where && "corner" in where) return where.corner;
      if (where) return centredOn(where.centre, size);
      return store.pointer ? centredOn(store.pointer, size) : freeSpot(inView(), taken(), size);
    };
    /** Selects what was just made (asked at `since`), and opens the first for typing when it is for typing; not when the person pressed something since. */
    const made = (since: number, result: unknown, edit: boolean) => {
      const ids = createdIds(result);
      if (ids.length === 0 || lastPress > since) return;
      store.setSelection(new Set(ids));
      if (edit) requestEdit(store, ids[0]!);
    };
    const pasteClip = async (clip: Clipboard, at: Point) => {
      const command = pasteCommand(store, viewId(), clip, at);
      if (command.events.length === 0) return;
      // One undo step; what was pasted becomes the selection, ready to move.
      if (await store.run(command)) store.setSelection(new Set(command.ids));
    };
    /** Moves selected items to new positions (relative to their parent), one undo step. */
    const moveTo = (moves: { id: string; x: number; y: number }[]) => {
      const from = new Map(store.getSnapshot().nodes.map((n) => [n.id, n.position]));
      if (moves.length > 0) void store.run(moveCommand(store, viewId(), moves.map((m) => ({ ...m, from: from.get(m.id) ?? m }))));
    };
    /** The selected, unlocked items' boxes, when they share a parent (positions are relative to it); null after saying why not. */
    const arrangeable = () => {
      const nodes = store.getSnapshot().nodes.filter((n) => store.selected.has(n.id) && !n.data.locked);
      if (new Set(nodes.map((n) => n.parentId ?? null)).size > 1) return store.toast("Align items of one group at a time (or none).", "info"), null;
      return nodes.map((n) => ({ id: n.id, x: n.position.x, y: n.position.y, width: n.measured?.width ?? n.width ?? 0, height: n.measured?.height ?? n.height ?? 0 }));
    };
    const selection = () => [...store.selected];
    const graphSelection = () => selection().filter((id) => shapeIdOf(id) === null && nodesOf(store.doc).has(id));
    return {
      /** Runs a module's creation tool (web/src/modules/): what it makes is selected, and open for typing if it is for typing. */
      create: async (tool: CreateTool, where?: Where) => {
        const since = performance.now();
        made(since, await tool.run(store, viewId(), placeFor(tool.size ?? DEFAULT_SIZE, where)), tool.edit ?? false);
      },
      /** A double-click on empty canvas: the tool that says so (a note), centred there. */
      createAt: async (at: Point) => {
        const tool = createTools().find((t) => t.onDoubleClick);
        const since = performance.now();
        if (tool) made(since, await tool.run(store, viewId(), placeFor(tool.size ?? DEFAULT_SIZE, { centre: at })), tool.edit ?? false);
      },
      deleteSelection: () => {
        // A selected edge is in both (the store's selection and xyflow's): once each.
        const ids = [...new Set([...selection(), ...store.getSnapshot().edges.filter((e) => e.selected).map((e) => e.id)])];
        if (ids.length > 0) void store.run(deleteCommand(store, viewId(), ids));
        store.setSelection(new Set());
      },
      selectAll: () => store.setSelection(new Set(store.getSnapshot().nodes.map((n) => n.id))),
      deselect: () => store.selected.size > 0 && store.setSelection(new Set()),
      /** Keeps the selection for Ctrl+V; returns the text to put on the system clipboard (null when nothing was copied). */
      copy: (): string | null => {
        const copied = copySelection(store);
        if (copied) clipboard = copied;
        return copied ? copied.text : null;
      },
      /** The text Ctrl+C last put on the system clipboard (to tell the board's own items from text copied elsewhere). */
      copiedText: () => clipboard?.text ?? null,
      paste: async (corner?: Point) => {
        if (clipboard) await pasteClip(clipboard, pastePlace(clipboard, { corner, pointer: store.pointer }));
      },
      /** Text copied outside the board: made into what a tool says (a note), where the person works. */
      pasteText: async (text: string) => {
        const tool = createTools().find((t) => t.fromText);
        const since = performance.now();
        if (tool?.fromText) made(since, await tool.fromText(store, viewId(), placeFor(tool.size ?? DEFAULT_SIZE, undefined), text), false);
      },
      /**
       * Files dropped (at `screen`, a point on the page) or pasted (where the person works): what
       * the module taking them makes (images), selected. False when no module takes any of them.
       */
      addFiles: (files: readonly File[], screen?: Point): boolean => {
        const taker = fileTakers().find((t) => files.some(t.takes));
        if (!taker) return false;
        const since = performance.now();
        const centre = screen ? flow.screenToFlowPosition(screen) : undefined;
        void taker.add(store, viewId(), files, (size) => placeFor(size, centre ? { centre } : undefined)).then((ids) => made(since, ids, false));
        return true;
      },
      /** Ctrl+D: a copy of the selection beside it (the clipboard is left alone). */
      duplicate: async () => {
        const copied = copySelection(store);
        if (copied) await pasteClip(copied, { x: copied.origin.x + PASTE_OFFSET, y: copied.origin.y + PASTE_OFFSET });
      },
      toggleLock: () => {
        const ids = selection();
        if (ids.length === 0) return;
        const nodes = store.getSnapshot().nodes.filter((n) => store.selected.has(n.id));
        const lock = nodes.some((n) => !n.data.locked);
        void store.run(lockCommand(store, viewId(), ids, lock));
      },
      group: () => {
        const ids = graphSelection();
        // A group of one item (a group alone) means nothing: two or more.
        if (ids.length < 2) return store.toast("Select two or more nodes to group.", "info");
        void store.run(groupCommand(store, viewId(), ids));
      },
      ungroup: () => {
        const groups = graphSelection().filter((id) => isGroup(store.doc, id));
        if (groups.length === 0) return store.toast("Select a group to ungroup.", "info");
        for (const id of groups) void store.run(ungroupCommand(store, viewId(), id));
      },
      /** Lines the selection up (two or more items). */
      align: (to: Alignment) => {
        const boxes = arrangeable();
        if (boxes) moveTo(align(boxes, to));
      },
      /** Spaces the selection evenly (three or more items). */
      distribute: (axis: Axis) => {
        const boxes = arrangeable();
        if (boxes) moveTo(distribute(boxes, axis));
      },
      /** Brings the selected nodes and shapes above (or sends them below) everything else on the view: the doc's stacking, for everyone; one undo step. */
      stack: (to: "front" | "back") => {
        const command = arrangeCommand(store, viewId(), [...store.selected], to);
        if (command) void store.run(command);
      },
      /** How many nodes and shapes are selected (the menu offers what fits). */
      selectedCount: () => store.selected.size,
      /** How many selected are graph nodes (grouping). */
      selectedNodes: () => graphSelection().length,
      undo: () => void store.undo(),
      redo: () => void store.redo(),
      fit: () => void flow.fitView({ padding: FIT_VIEW.padding, includeHiddenNodes: true, duration: 200 }),
      zoomIn: () => void flow.zoomIn(ZOOM),
      zoomOut: () => void flow.zoomOut(ZOOM),
      /** 100 %, around the middle of the view. */
      actualSize: () => void flow.zoomTo(1, ZOOM),
      canPaste: () => clipboard !== null,
      /** Opens the board's search. */
      search: () => openSearch(store),
      /** Downloads the selection (with what it holds) as an image. */
      exportSelection: (format: "png" | "svg") => exportBoard(store, flow, "selection", format),
    };
  }, [store, flow]);
}

export type BoardActions = ReturnType<typeof useBoardActions>;
