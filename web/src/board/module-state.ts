/**
 * State a module keeps per board store, typed by the module's own objects: a view of its
 * records computed from the doc, and pieces of screen state. Apart from store.ts, which the
 * modules' files import back, so that a module can create these when it loads.
 */
import type * as Y from "yjs";
import type { BoardStore, Me } from "./store";

/**
 * A module's view of its records (chats with their unread counts), computed from a store's doc
 * once and kept, the same object, until that doc changes. Each store's value is kept here, typed.
 */
export class DocView<T> {
  readonly #kept = new WeakMap<BoardStore, { version: number; value: T }>();
  constructor(private readonly compute: (doc: Y.Doc, me: Me) => T) {}

  read(store: BoardStore): T {
    const kept = this.#kept.get(store);
    if (kept && kept.version === store.docVersion) return kept.value;
    const value = this.compute(store.doc, store.me);
    this.#kept.set(store, { version: store.docVersion, value });
    return value;
  }
}

/** A piece of one screen's UI state a module keeps (the chat open in its panel): its value at first, and each store's since. */
export class UiSlot<T> {
  readonly #held = new WeakMap<BoardStore, { value: T }>();
  constructor(readonly initial: T) {}

  read(store: BoardStore): T {
    const held = this.#held.get(store);
    return held ? held.value : this.initial;
  }

  hold(store: BoardStore, value: T): void {
    this.#held.set(store, { value });
  }
}
