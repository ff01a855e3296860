/** Right-click menus: on the pane (each module's tools, paste) and on a node (its kind's items, lock, group, delete). */
import { Fragment, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { nodesOf } from "../../../gateway-do/src/modules/core-graph";
import { createTools, nodeViewOf } from "../modules/registry";
import { useBoardStore } from "./store-context";
import type { Alignment } from "./arrange";
import type { BoardActions } from "./use-board-actions";

const ALIGN: [string, Alignment][] = [
  ["Align left", "left"],
  ["Align centres", "centre"],
  ["Align right", "right"],
  ["Align top", "top"],
  ["Align middles", "middle"],
  ["Align bottom", "bottom"],
];

export type MenuState =
  | { kind: "pane"; x: number; y: number; at: { x: number; y: number } }
  | { kind: "node"; x: number; y: number; at: { x: number; y: number }; nodeId: string };

export function ContextMenu({ menu, actions, onClose }: { menu: MenuState; actions: BoardActions; onClose: () => void }) {
  const store = useBoardStore();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const away = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && onClose();
    const esc = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("mousedown", away);
    window.addEventListener("keydown", esc);
    return () => {
      window.removeEventListener("mousedown", away);
      window.removeEventListener("keydown", esc);
    };
  }, [onClose]);
  // Opened near the window's bottom or right edge, the menu opens upwards or leftwards so
  // that every item stays on screen; the first item takes the focus, for the keyboard.
  const [place, setPlace] = useState({ left: menu.x, top: menu.y });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    const margin = 8;
    const left = menu.x + width + margin > window.innerWidth ? Math.max(margin, menu.x - width) : menu.x;
    const top = menu.y + height + margin > window.innerHeight ? Math.max(margin, menu.y - height) : menu.y;
    setPlace({ left, top });
    el.querySelector<HTMLElement>('[role="menuitem"]')?.focus({ preventScroll: true });
  }, [menu.x, menu.y]);
  // Closed, the menu gives the focus back to where it was when it opened (not to the page).
  const [opener] = useState(() => document.activeElement);
  useEffect(
    () => () => {
      if (opener instanceof HTMLElement && opener.isConnected && (document.activeElement === document.body || document.activeElement === null)) opener.focus({ preventScroll: true });
    },
    [opener],
  );
  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Tab") return onClose();
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[e.key];
    if (next === undefined || items.length === 0) return;
    e.preventDefault();
    items[(next + items.length) % items.length]!.focus();
  };
  const item = (label: string, run: () => unknown, hint?: string) => (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      onClick={() => {
        onClose();
        void run();
      }}
    >
      <span>{label}</span>
      {hint && <kbd>{hint}</kbd>}
    </button>
  );
  const kind = menu.kind === "node" ? nodesOf(store.doc).get(menu.nodeId)?.kind : undefined;
  // The node kind's own items (web/src/modules/): "Chat about this note", "Ungroup".
  const kindItems = (place: "top" | "arrange") =>
    menu.kind === "node" && kind !== undefined
      ? (nodeViewOf(kind)?.menu ?? []).filter((m) => m.place === place).map((m) => <Fragment key={m.label}>{item(m.label, () => m.run({ store, nodeId: menu.nodeId, actions }), m.hint)}</Fragment>)
      : null;
  const locked = menu.kind === "node" && store.getSnapshot().nodes.find((n) => n.id === menu.nodeId)?.data.locked;
  return (
    <div ref={ref} className="context-menu" role="menu" aria-label={menu.kind === "pane" ? "Board" : "Node"} style={place} onKeyDown={onKeyDown}>
      {menu.kind === "pane" ? (
        <>
          {createTools().map((t) => <Fragment key={t.menuLabel}>{item(t.menuLabel, () => actions.create(t, { corner: menu.at }), t.key?.toUpperCase())}</Fragment>)}
          {actions.canPaste() && item("Paste here", () => actions.paste(menu.at), "Ctrl+V")}
          {item("Fit to screen", actions.fit, "Shift+1")}
        </>
      ) : (
        <>
          {kindItems("top")}
          {item(locked ? "Unlock" : "Lock", actions.toggleLock, "Ctrl+L")}
          {/* Grouping is for several nodes: never offered on one item alone (a group). */}
          {actions.selectedNodes() > 1 && item("Group selection", actions.group, "Ctrl+G")}
          {kindItems("arrange")}
          {actions.selectedCount() > 0 && item("Bring to front", () => actions.stack("front"), "]")}
          {actions.selectedCount() > 0 && item("Send to back", () => actions.stack("back"), "[")}
          {actions.selectedCount() > 1 && ALIGN.map(([label, to]) => <Fragment key={to}>{item(label, () => actions.align(to))}</Fragment>)}
          {actions.selectedCount() > 2 && item("Distribute horizontally", () => actions.distribute("horizontal"))}
          {actions.selectedCount() > 2 && item("Distribute vertically", () => actions.distribute("vertical"))}
          {item("Copy", actions.copy, "Ctrl+C")}
          {item("Delete", actions.deleteSelection, "Del")}
        </>
      )}
    </div>
  );
}
