/**
 * Keyboard shortcuts: Delete, Escape (deselect), Ctrl+A, Ctrl+C/V, Ctrl+D (duplicate),
 * Ctrl+Z / Shift+Ctrl+Z (and Ctrl+Y), Ctrl+G, Ctrl+L, Ctrl+F (search), Shift+1 to fit, Ctrl+0 / Ctrl+= /
 * Ctrl+- to zoom, ] and [ to bring to front and send to back, and the modules' tool keys: N makes a
 * note at the pointer; R, O, A, T and P arm a drawing tool (tool.ts), V and Escape go back to select. Paste goes through the browser's
 * `paste` event, which carries the system clipboard: the board's own items paste as themselves,
 * text copied elsewhere becomes a note.
 */
import { useEffect } from "react";
import { createTools } from "../modules/registry";
import type { BoardStore } from "./store";
import { armTool, armedTool } from "./tool";
import type { BoardActions } from "./use-board-actions";

/** The system clipboard type marking the board's own copies (beside their text). */
const BOARD_ITEMS = "application/x-kiln-board-items";

/**
 * True when the event belongs to something else than the board: a text field (a note, a chat
 * message), or a widget with keys of its own (the tab bar's Delete closes a tab, a menu, a
 * dialog), including an event such a widget already handled.
 */
function notForTheBoard(e: Event): boolean {
  const target = e.target;
  if (e.defaultPrevented || !(target instanceof HTMLElement)) return e.defaultPrevented;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest('[role="tablist"], [role="menu"], [role="dialog"]') !== null;
}

export function useShortcuts(actions: BoardActions, store: BoardStore): void {
  useEffect(() => {
    // Ctrl+V's `paste` event follows its keydown at once; a browser that sends none (or a
    // test's fake DOM) still pastes the board's own items, on the next task.
    let pasteFallback: ReturnType<typeof setTimeout> | null = null;
    const onKey = (e: KeyboardEvent) => {
      if (notForTheBoard(e)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const handled = () => e.preventDefault();
      if (key === "delete" || key === "backspace") return handled(), actions.deleteSelection();
      // Escape puts a drawing tool down first, then deselects.
      if (key === "escape") return void (armedTool(store) ? armTool(store, null) : actions.deselect());
      if (mod && key === "a") return handled(), actions.selectAll();
      if (mod && key === "c") return void actions.copy();
      if (mod && key === "v") return void (pasteFallback ??= setTimeout(() => ((pasteFallback = null), void actions.paste()), 0));
      if (mod && key === "d") return handled(), void actions.duplicate();
      if (mod && key === "z") return handled(), e.shiftKey ? actions.redo() : actions.undo();
      if (mod && key === "y") return handled(), actions.redo();
      if (mod && key === "g") return handled(), e.shiftKey ? actions.ungroup() : actions.group();
      if (mod && key === "l") return handled(), actions.toggleLock();
      // The board's search, not the browser's (which cannot see text drawn off screen or in a closed note).
      if (mod && key === "f") return handled(), actions.search();
      // The browser's own zoom would scale the whole page: these zoom the board.
      if (mod && key === "0") return handled(), actions.actualSize();
      if (mod && (key === "=" || key === "+")) return handled(), actions.zoomIn();
      if (mod && (key === "-" || key === "_")) return handled(), actions.zoomOut();
      if (mod || e.altKey) return;
      if (e.shiftKey && e.code === "Digit1") return handled(), actions.fit();
      if (key === "]" || key === "[") return handled(), actions.stack(key === "]" ? "front" : "back");
      if (key === "v") return handled(), armTool(store, null);
      const tool = createTools().find((t) => t.key === key);
      if (tool?.draw) return handled(), armTool(store, tool);
      if (tool) return handled(), void actions.create(tool);
    };
    const onCopy = (e: ClipboardEvent) => {
      if (notForTheBoard(e) || !e.clipboardData) return;
      const text = actions.copy();
      if (text === null) return;
      e.preventDefault();
      e.clipboardData.setData("text/plain", text);
      e.clipboardData.setData(BOARD_ITEMS, "1");
    };
    const onPaste = (e: ClipboardEvent) => {
      if (notForTheBoard(e)) return;
      if (pasteFallback) clearTimeout(pasteFallback);
      pasteFallback = null;
      e.preventDefault();
      // An image copied from another app (or a screenshot) arrives as a file.
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length > 0 && actions.addFiles(files)) return;
      const text = e.clipboardData?.getData("text/plain") ?? "";
      const ours = e.clipboardData?.getData(BOARD_ITEMS) === "1" || (text !== "" && text === actions.copiedText());
      if (text.trim() !== "" && !ours) void actions.pasteText(text);
      else void actions.paste();
    };
    // Files dragged from the desktop onto the board: what a module makes of them, where dropped.
    // Dropped anywhere else on the page they are refused, not opened by the browser in place of the board.
    const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes("Files") ?? false;
    const onBoard = (e: DragEvent) => e.target instanceof Element && e.target.closest(".board-canvas") !== null;
    const onDragOver = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = onBoard(e) ? "copy" : "none";
    };
    const onDrop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (!onBoard(e)) return;
      if (!actions.addFiles([...(e.dataTransfer?.files ?? [])], { x: e.clientX, y: e.clientY })) store.toast("Only images can be dropped onto the board.", "info");
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("copy", onCopy);
    window.addEventListener("paste", onPaste);
    window.addEventListener("dragover", onDragOver);
    window.addEventListener("drop", onDrop);
    return () => {
      window.removeEventListener("dragover", onDragOver);
      window.removeEventListener("drop", onDrop);
      if (pasteFallback) clearTimeout(pasteFallback);
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("copy", onCopy);
      window.removeEventListener("paste", onPaste);
    };
  }, [actions, store]);
}
