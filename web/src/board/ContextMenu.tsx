/** Right-click menus: on the pane (create here, paste) and on a node (lock, group, chat, delete). */
import { useEffect, useRef } from "react";
import { nodesOf } from "../../../gateway-do/src/modules/core-graph";
import { openChatFor } from "./nodes/open-chat";
import { useBoardStore } from "./store-context";
import type { BoardActions } from "./use-board-actions";

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
  const item = (label: string, run: () => unknown, hint?: string) => (
    <button
      type="button"
      role="menuitem"
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
  const locked = menu.kind === "node" && store.getSnapshot().nodes.find((n) => n.id === menu.nodeId)?.data.locked;
  return (
    <div ref={ref} className="context-menu" role="menu" style={{ left: menu.x, top: menu.y }}>
      {menu.kind === "pane" ? (
        <>
          {item("New note here", () => actions.createNote({ x: menu.at.x, y: menu.at.y }), "N")}
          {item("New chat here", () => actions.createChat(menu.at))}
          {item("Rectangle", () => actions.addShape("rectangle", menu.at))}
          {item("Ellipse", () => actions.addShape("ellipse", menu.at))}
          {item("Arrow", () => actions.addShape("arrow", menu.at))}
          {item("Text", () => actions.addShape("text", menu.at))}
          {actions.canPaste() && item("Paste here", () => actions.paste(menu.at), "Ctrl+V")}
          {item("Fit to screen", actions.fit, "F")}
        </>
      ) : (
        <>
          {kind === "note" && item("Chat about this note", () => openChatFor(store, menu.nodeId))}
          {item(locked ? "Unlock" : "Lock", actions.toggleLock, "Ctrl+L")}
          {kind !== undefined && item("Group selection", actions.group, "Ctrl+G")}
          {kind === "group" && item("Ungroup", actions.ungroup, "Shift+Ctrl+G")}
          {item("Copy", actions.copy, "Ctrl+C")}
          {item("Delete", actions.deleteSelection, "Del")}
        </>
      )}
    </div>
  );
}
