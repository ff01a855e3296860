import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { bindTextarea, diffText } from "../src/board/text-binding";

function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on("update", (u: Uint8Array, origin: unknown) => origin !== "sync" && Y.applyUpdate(b, u, "sync"));
  b.on("update", (u: Uint8Array, origin: unknown) => origin !== "sync" && Y.applyUpdate(a, u, "sync"));
  a.getMap<Y.Text>("notes/bodies").set("n", new Y.Text("hello world"));
  return { a: a.getMap<Y.Text>("notes/bodies").get("n")!, b: b.getMap<Y.Text>("notes/bodies").get("n")! };
}

describe("a note's textarea bound to its Y.Text", () => {
  it("finds the one change between two values", () => {
    expect(diffText("hello world", "hello brave world")).toEqual({ index: 6, remove: 0, insert: "brave " });
    expect(diffText("hello world", "hello")).toEqual({ index: 5, remove: 6, insert: "" });
    expect(diffText("aaa", "aaaa")).toEqual({ index: 3, remove: 0, insert: "a" });
    expect(diffText("abc", "xbc")).toEqual({ index: 0, remove: 1, insert: "x" });
  });

  it("never cuts a character in two: 🙂 and 🙃 share their first UTF-16 unit, 👍🏽 and 👍🏿 their first three", () => {
    expect(diffText("a🙂b", "a🙃b")).toEqual({ index: 1, remove: 2, insert: "🙃" });
    expect(diffText("👍🏽", "👍🏿")).toEqual({ index: 2, remove: 2, insert: "🏿" });
    expect(diffText("x🙂", "x🙂🙂")).toEqual({ index: 3, remove: 0, insert: "🙂" });
  });

  it("sends typing as edits and keeps the caret in place when someone else types before it", () => {
    const { a, b } = pair();
    const textarea = document.createElement("textarea");
    document.body.append(textarea);
    const unbind = bindTextarea(textarea, a);
    expect(textarea.value).toBe("hello world");

    textarea.value = "hello brave world";
    textarea.dispatchEvent(new Event("input"));
    expect(b.toString()).toBe("hello brave world");

    textarea.focus();
    textarea.setSelectionRange(12, 12); // before "world"
    b.insert(0, ">> ");
    expect(textarea.value).toBe(">> hello brave world");
    expect(textarea.selectionStart).toBe(15);
    b.insert(textarea.value.length, "!"); // after the caret: it stays
    expect(textarea.selectionStart).toBe(15);
    b.delete(0, 3);
    expect(textarea.selectionStart).toBe(12);

    unbind();
    b.insert(0, "x");
    expect(textarea.value).toBe("hello brave world!");
    textarea.remove();
  });

  it("undoes and redoes this person's typing with Ctrl+Z / Shift+Ctrl+Z, never what someone else typed", () => {
    const { a, b } = pair();
    const textarea = document.createElement("textarea");
    document.body.append(textarea);
    const unbind = bindTextarea(textarea, a);
    textarea.focus();
    const type = (value: string) => {
      textarea.value = value;
      textarea.dispatchEvent(new Event("input"));
    };
    const key = (init: KeyboardEventInit) => {
      const event = new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ...init });
      textarea.dispatchEvent(event);
      return event.defaultPrevented;
    };
    type("hello world, mine");
    b.insert(0, "theirs: ");
    expect(textarea.value).toBe("theirs: hello world, mine");

    expect(key({ key: "z", ctrlKey: true })).toBe(true);
    expect(textarea.value).toBe("theirs: hello world");
    expect(b.toString()).toBe("theirs: hello world");
    expect(textarea.selectionStart).toBe("theirs: hello world".length);
    // Nothing more of mine to undo: their text stays.
    key({ key: "z", ctrlKey: true });
    expect(b.toString()).toBe("theirs: hello world");

    expect(key({ key: "Z", ctrlKey: true, shiftKey: true })).toBe(true);
    expect(b.toString()).toBe("theirs: hello world, mine");
    key({ key: "z", ctrlKey: true });
    key({ key: "y", ctrlKey: true });
    expect(b.toString()).toBe("theirs: hello world, mine");
    // Other keys pass through.
    expect(key({ key: "a", ctrlKey: true })).toBe(false);

    unbind();
    textarea.remove();
  });
});
