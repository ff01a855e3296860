/**
 * A <textarea> bound to a Y.Text: local input becomes the smallest delete + insert on the
 * Y.Text, remote changes update the value and keep the caret where the person left it.
 * Ctrl+Z / Shift+Ctrl+Z (and Ctrl+Y, and the browser's own undo) go to a Y.UndoManager
 * that tracks only this textarea's edits: undo never takes back what someone else typed.
 */
import * as Y from "yjs";

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The one change that turns `before` into `after`: common prefix and suffix kept, never
 * cutting a character in two (🙂 and 🙃 share their first UTF-16 unit; Yjs turns both
 * halves of a cut pair into U+FFFD, and the gateway refuses edits that cut one).
 */
export function diffText(before: string, after: string): { index: number; remove: number; insert: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

/** Applies a textarea's new value to the Y.Text as one transaction. */
export function applyInput(text: Y.Text, value: string, origin: unknown): void {
  const { index, remove, insert } = diffText(text.toString(), value);
  if (remove === 0 && insert === "") return;
  text.doc!.transact(() => {
    if (remove > 0) text.delete(index, remove);
    if (insert) text.insert(index, insert);
  }, origin);
}

/** Moves a caret index through a Yjs text delta (inserts before it push it right, deletes pull it left). */
export function transformIndex(index: number, delta: Y.YTextEvent["delta"]): number {
  let pos = 0; // in the text before the change
  let result = index;
  for (const op of delta) {
    if (pos > index) break;
    if (op.retain !== undefined) pos += op.retain;
    else if (typeof op.insert === "string") {
      if (pos < index) result += op.insert.length;
    } else if (op.delete !== undefined) {
      if (pos < index) result -= Math.min(op.delete, index - pos);
      pos += op.delete;
    }
  }
  return Math.max(0, result);
}

/** Where a change ends in the text after it (the caret after an undo or redo). */
function endOfChange(delta: Y.YTextEvent["delta"]): number {
  let pos = 0;
  let end = 0;
  for (const op of delta) {
    if (op.retain !== undefined) pos += op.retain;
    else if (typeof op.insert === "string") end = pos += op.insert.length;
    else if (op.delete !== undefined) end = pos;
  }
  return end;
}

/** Which undo key a keydown is, if any. */
function undoKey(e: KeyboardEvent): "undo" | "redo" | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (key === "z") return e.shiftKey ? "redo" : "undo";
  if (key === "y" && !e.shiftKey) return "redo";
  return null;
}

/** Binds a textarea to a Y.Text until the returned function is called. */
export function bindTextarea(textarea: HTMLTextAreaElement, text: Y.Text): () => void {
  const origin = textarea;
  const history = new Y.UndoManager(text, { trackedOrigins: new Set([origin]), captureTimeout: 600 });
  textarea.value = text.toString();
  const onInput = () => applyInput(text, textarea.value, origin);
  const onChange = (event: Y.YTextEvent, tr: Y.Transaction) => {
    if (tr.origin === origin) return;
    const focused = document.activeElement === textarea;
    const [start, end] = [textarea.selectionStart, textarea.selectionEnd];
    textarea.value = text.toString();
    if (!focused) return;
    if (tr.origin === history) {
      const caret = endOfChange(event.delta);
      textarea.setSelectionRange(caret, caret);
    } else textarea.setSelectionRange(transformIndex(start, event.delta), transformIndex(end, event.delta));
  };
  const run = (what: "undo" | "redo") => {
    // Typing just before should not merge with what undo restores.
    history.stopCapturing();
    if (what === "undo") history.undo();
    else history.redo();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const what = undoKey(e);
    if (!what) return;
    e.preventDefault();
    run(what);
  };
  // The browser's Edit menu and context menu undo the textarea's own history: ours instead.
  const onBeforeInput = (e: InputEvent) => {
    if (e.inputType !== "historyUndo" && e.inputType !== "historyRedo") return;
    e.preventDefault();
    run(e.inputType === "historyUndo" ? "undo" : "redo");
  };
  textarea.addEventListener("input", onInput);
  textarea.addEventListener("keydown", onKeyDown);
  textarea.addEventListener("beforeinput", onBeforeInput);
  text.observe(onChange);
  return () => {
    textarea.removeEventListener("input", onInput);
    textarea.removeEventListener("keydown", onKeyDown);
    textarea.removeEventListener("beforeinput", onBeforeInput);
    text.unobserve(onChange);
    history.destroy();
  };
}
