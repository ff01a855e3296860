/** Keyboard shortcuts: Delete, Ctrl+A, Ctrl+C/V, Ctrl+Z / Shift+Ctrl+Z (and Ctrl+Y), F to fit, and the modules' tool keys (N). */
import { useEffect } from "react";
import { createTools } from "../modules/registry";
import type { BoardActions } from "./use-board-actions";

/**
 * True when the key belongs to something else than the board: a text field (a note, a chat
 * message), or a widget with keys of its own (the tab bar's Delete closes a tab, a menu, a
 * dialog), including a key such a widget already handled.
 */
function notForTheBoard(e: KeyboardEvent): boolean {
  const target = e.target;
  if (e.defaultPrevented || !(target instanceof HTMLElement)) return e.defaultPrevented;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest('[role="tablist"], [role="menu"], [role="dialog"]') !== null;
}

export function useShortcuts(actions: BoardActions): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (notForTheBoard(e)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const handled = () => e.preventDefault();
      if (key === "delete" || key === "backspace") return handled(), actions.deleteSelection();
      if (mod && key === "a") return handled(), actions.selectAll();
      if (mod && key === "c") return actions.copy();
      if (mod && key === "v") return handled(), void actions.paste();
      if (mod && key === "z") return handled(), e.shiftKey ? actions.redo() : actions.undo();
      if (mod && key === "y") return handled(), actions.redo();
      if (mod && key === "g") return handled(), e.shiftKey ? actions.ungroup() : actions.group();
      if (mod && key === "l") return handled(), actions.toggleLock();
      if (!mod && !e.altKey && key === "f") return handled(), actions.fit();
      const tool = !mod && !e.altKey ? createTools().find((t) => t.key === key) : undefined;
      if (tool) return handled(), void actions.create(tool);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [actions]);
}
