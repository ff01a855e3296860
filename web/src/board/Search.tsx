/**
 * The board's search (Ctrl+F, or the toolbar's button): finds text on the view shown (notes,
 * chat titles, group names, shape text: each module says what it holds, `WebModule.search`),
 * lists what matches, and Enter (or a click) jumps to the result: centred and selected.
 * ↑/↓ choose, Escape closes.
 */
import "./Search.css";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { SearchHit } from "../modules/kit";
import { searchers } from "../modules/registry";
import { useJumpTo } from "./jump";
import { UiSlot } from "./module-state";
import type { BoardStore } from "./store";
import { useBoard, useBoardStore } from "./store-context";

const searchOpen = new UiSlot(false);
const MAX_RESULTS = 50;
const SNIPPET = 80;

/** Opens the search box. */
export function openSearch(store: BoardStore): void {
  store.setUi(searchOpen, true);
}

/** The hits whose text holds every word of the query (any case), in the board's reading order. */
export function findText(hits: readonly SearchHit[], query: string): SearchHit[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return hits.filter((h) => words.every((w) => h.text.toLowerCase().includes(w)));
}

/** The part of `text` around the first word of the query, on one line. */
function snippet(text: string, query: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const word = query.toLowerCase().split(/\s+/).find(Boolean) ?? "";
  const at = Math.max(0, flat.toLowerCase().indexOf(word) - 20);
  const part = flat.slice(at, at + SNIPPET);
  return `${at > 0 ? "…" : ""}${part}${at + SNIPPET < flat.length ? "…" : ""}`;
}

export function Search() {
  const store = useBoardStore();
  const open = useSyncExternalStore(store.subscribe, () => store.ui(searchOpen));
  return open ? <SearchBox onClose={() => store.setUi(searchOpen, false)} /> : null;
}

function SearchBox({ onClose }: { onClose: () => void }) {
  const store = useBoardStore();
  const jumpTo = useJumpTo();
  const doc = useBoard((s) => s.doc);
  const viewId = useBoard((s) => s.viewId);
  // The doc's text changes with every key typed in a note: searched again as the nodes change.
  const nodes = useBoard((s) => s.nodes);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const field = useRef<HTMLInputElement>(null);
  const all = useMemo(() => searchers().flatMap((search) => search(doc, viewId)), [doc, viewId, nodes]);
  const results = findText(all, query).slice(0, MAX_RESULTS);
  useEffect(() => field.current?.focus(), []);
  useEffect(() => setActive(0), [query]);

  const jump = (hit: SearchHit | undefined) => {
    if (hit && !jumpTo(hit.id)) store.toast("That item is no longer on this view.", "info");
  };

  return (
    <div className="board-search" role="dialog" aria-label="Search the board">
      <input
        ref={field}
        type="search"
        aria-label="Search text"
        placeholder="Search this view…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onClose();
          } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            const step = e.key === "ArrowDown" ? 1 : -1;
            setActive((i) => (results.length === 0 ? 0 : (i + step + results.length) % results.length));
          } else if (e.key === "Enter") {
            e.preventDefault();
            jump(results[active]);
          }
        }}
      />
      {query.trim() !== "" && (
        <p className="board-search-count" role="status">
          {results.length === 0 ? "Nothing on this view matches." : results.length === 1 ? "1 result" : `${results.length} results`}
        </p>
      )}
      {results.length > 0 && (
        <ul className="board-search-results" role="listbox" aria-label="Results">
          {results.map((hit, i) => (
            <li key={hit.id} role="option" aria-selected={i === active} onMouseEnter={() => setActive(i)} onMouseDown={(e) => e.preventDefault()} onClick={() => jump(hit)}>
              <b>{hit.kind}</b> {snippet(hit.text, query)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
