/**
 * A <textarea> bound to a Y.Text: local input becomes the smallest delete + insert on the
 * Y.Text, remote changes update the value and keep the caret where the person left it.
 */
import * as Y from "yjs";

/** The one change that turns `before` into `after`: common prefix and suffix kept. */
export function diffText(before: string, after: string): { index: number; remove: number; insert: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
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

/** Binds a textarea to a Y.Text until the returned function is called. */
export function bindTextarea(textarea: HTMLTextAreaElement, text: Y.Text): () => void {
  const origin = textarea;
  textarea.value = text.toString();
  const onInput = () => applyInput(text, textarea.value, origin);
  const onChange = (event: Y.YTextEvent, tr: Y.Transaction) => {
    if (tr.origin === origin) return;
    const focused = document.activeElement === textarea;
    const [start, end] = [textarea.selectionStart, textarea.selectionEnd];
    textarea.value = text.toString();
    if (focused) textarea.setSelectionRange(transformIndex(start, event.delta), transformIndex(end, event.delta));
  };
  textarea.addEventListener("input", onInput);
  text.observe(onChange);
  return () => {
    textarea.removeEventListener("input", onInput);
    text.unobserve(onChange);
  };
}
