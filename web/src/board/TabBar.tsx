/**
 * This person's open tabs (the `tabs` module): each shows a view (the views are shared, the
 * tabs are each person's own, so closing or reordering one changes nobody else's); who is
 * looking at it; open a view from the list or a new one, rename the view, close, reorder
 * (drag, or Ctrl+Shift+←/→), and the active tab kept in the doc so the project reopens where
 * they were.
 */
import "./TabBar.css";
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import type { TabRecord } from "../../../gateway-do/src/modules/tabs";
import { tabKinds } from "../modules/registry";
import { type OpenTab, type TabsState, neighbourOf, readTabs, reorderedIds } from "./tab-model";
import type { BoardStore } from "./store";
import { useBoard, useBoardStore } from "./store-context";

/** The tabs part of the doc, re-read when the board changes and kept while it is the same. */
function useTabs(store: BoardStore, userId: string): TabsState {
  const cache = useRef<{ key: string; state: TabsState } | null>(null);
  return useSyncExternalStore(store.subscribe, () => {
    const state = readTabs(store.doc, userId);
    const key = JSON.stringify(state);
    if (cache.current?.key !== key) cache.current = { key, state };
    return cache.current.state;
  });
}

/** `onCurrent`: told which tab is shown (the editor draws a content tab, a container's app, over the board). */
export function TabBar({ onCurrent }: { onCurrent?: (tab: OpenTab | null) => void } = {}) {
  const store = useBoardStore();
  const me = useBoard((s) => s.me);
  const viewId = useBoard((s) => s.viewId);
  const peers = useBoard((s) => s.peers);
  const { tabs, activeTabId, closedViews } = useTabs(store, me.userId);
  // The tab picked here, shown at once while the doc catches up (or if it refuses to store it).
  const [picked, setPicked] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [menu, setMenu] = useState(false);
  const refs = useRef(new Map<string, HTMLButtonElement>());

  const current = tabs.find((t) => t.id === (picked ?? activeTabId)) ?? tabs.find((t) => t.viewId === viewId) ?? tabs[0] ?? null;

  useEffect(() => {
    if (picked && picked === activeTabId) setPicked(null);
  }, [picked, activeTabId]);
  useEffect(() => {
    if (current?.viewId && current.viewId !== viewId) store.setView(current.viewId);
  }, [current, viewId, store]);
  useEffect(() => {
    onCurrent?.(current);
  }, [current, onCurrent]);

  const activate = (tab: OpenTab) => {
    if (tab.id === current?.id) return;
    setPicked(tab.id);
    if (tab.viewId) store.setView(tab.viewId);
    // Remembering the active tab is a convenience: a refusal (a read-only role) leaves the switch local, silently.
    void store.connection.sendEvent({ type: "tabs:activate", tabId: tab.id });
  };
  const open = async (view: { id: string; name: string; kind: TabRecord["kind"] }) => {
    setMenu(false);
    // tabs:open makes the new tab this person's active one: the doc then shows it.
    setPicked(null);
    await store.run({ events: [{ type: "tabs:open", kind: view.kind, target: view.id, title: view.name }] });
  };
  // "+": the first tab kind that can create what it shows (the whiteboard's views).
  const creator = tabKinds().find(([, kind]) => kind.create);
  const createView = async () => {
    if (!creator) return;
    const created = await creator[1].create!(store);
    if (created) await open({ id: created.target, name: created.title, kind: creator[0] });
  };
  const close = async (tab: OpenTab) => {
    const neighbour = neighbourOf(tabs, tab.id);
    const active = tab.id === current?.id;
    const hadFocus = document.activeElement === refs.current.get(tab.id);
    const ok = await store.run({ events: [{ type: "tabs:close", tabId: tab.id }] });
    if (!ok || !neighbour) return;
    if (active) activate(neighbour);
    // The focus does not fall to the page when the tab holding it goes.
    if (active || hadFocus) refs.current.get(neighbour.id)?.focus();
  };
  const rename = (tab: OpenTab, title: string) => {
    setRenaming(null);
    const name = title.trim();
    if (!name || name === tab.title) return;
    // A view tab shows its view's name: one event (its kind's), nothing to fall out of step.
    void store.run({ events: tab.rename(name) });
  };
  const move = (tab: OpenTab, delta: number) => {
    const tabIds = reorderedIds(store.doc, me.userId, tabs, tab.id, delta);
    if (tabIds) void store.run({ events: [{ type: "tabs:reorder", tabIds }] });
  };
  const focusTab = (index: number) => {
    const tab = tabs[(index + tabs.length) % tabs.length];
    if (tab) refs.current.get(tab.id)?.focus();
  };
  const onTabKey = (event: KeyboardEvent, tab: OpenTab, index: number) => {
    const { key, ctrlKey, metaKey, shiftKey } = event;
    if ((ctrlKey || metaKey) && shiftKey && (key === "ArrowLeft" || key === "ArrowRight")) move(tab, key === "ArrowLeft" ? -1 : 1);
    else if (key === "ArrowLeft" || key === "ArrowRight") focusTab(index + (key === "ArrowLeft" ? -1 : 1));
    else if (key === "Home" || key === "End") focusTab(key === "Home" ? 0 : tabs.length - 1);
    else if (key === "F2") setRenaming(tab.id);
    else if (key === "Delete") void close(tab);
    else return;
    event.preventDefault();
  };

  return (
    <div className="tabstrip">
      {tabs.length === 0 ? (
        <span className="tabstrip-empty">No open tabs</span>
      ) : (
        <div role="tablist" aria-label="Open views" className="tabstrip-list">
          {tabs.map((tab, index) => {
            const selected = tab.id === current?.id;
            const here = tab.viewId === null ? [] : peers.filter((p) => p.view === tab.viewId);
            return (
              <div
                key={tab.id}
                className={`tabstrip-tab${selected ? " is-active" : ""}${dragging === tab.id ? " is-dragging" : ""}`}
                draggable={renaming !== tab.id}
                onDragStart={(e) => {
                  setDragging(tab.id);
                  e.dataTransfer.effectAllowed = "move";
                  e.dataTransfer.setData("text/plain", tab.title);
                }}
                onDragEnd={() => setDragging(null)}
                onDragOver={(e) => {
                  if (dragging && dragging !== tab.id) e.preventDefault();
                }}
                onDrop={(e) => {
                  e.preventDefault();
                  const from = tabs.findIndex((t) => t.id === dragging);
                  const dragged = tabs[from];
                  setDragging(null);
                  if (dragged) move(dragged, index - from);
                }}
              >
                {renaming === tab.id ? (
                  <input
                    autoFocus
                    defaultValue={tab.title}
                    aria-label={`New name for ${tab.title}`}
                    maxLength={100}
                    onBlur={(e) => rename(tab, e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") e.currentTarget.blur();
                      if (e.key === "Escape") {
                        setRenaming(null);
                        requestAnimationFrame(() => refs.current.get(tab.id)?.focus());
                      }
                    }}
                  />
                ) : (
                  <button
                    type="button"
                    role="tab"
                    ref={(el) => {
                      if (el) refs.current.set(tab.id, el);
                      else refs.current.delete(tab.id);
                    }}
                    aria-selected={selected}
                    tabIndex={selected ? 0 : -1}
                    aria-keyshortcuts="F2 Delete Control+Shift+ArrowLeft Control+Shift+ArrowRight"
                    title="Double-click or F2 to rename · Delete to close · drag or Ctrl+Shift+←/→ to move"
                    onClick={() => activate(tab)}
                    onDoubleClick={() => setRenaming(tab.id)}
                    onKeyDown={(e) => onTabKey(e, tab, index)}
                  >
                    {tab.title}
                    {here.length > 0 && (
                      <span className="tabstrip-peers" aria-label={`${here.map((p) => p.name).join(", ")} here`}>
                        {here.map((p) => (
                          <span key={p.clientId} className="dot" style={{ background: p.color }} title={`${p.name} is here`} />
                        ))}
                      </span>
                    )}
                  </button>
                )}
                <button type="button" className="tabstrip-close" tabIndex={-1} aria-label={`Close ${tab.title}`} title={`Close ${tab.title}`} onClick={() => void close(tab)}>
                  ×
                </button>
              </div>
            );
          })}
        </div>
      )}
      {closedViews.length > 0 && (
        <div className="tabstrip-menu" onKeyDown={(e) => e.key === "Escape" && setMenu(false)}>
          <button type="button" className="tabstrip-button" aria-expanded={menu} aria-controls="closed-views" title="The project's views you have no tab for" onClick={() => setMenu(!menu)}>
            Views ({closedViews.length}) ▾
          </button>
          {menu && (
            <ul id="closed-views" className="tabstrip-popover" aria-label="Views to open">
              {closedViews.map((view) => (
                <li key={view.id}>
                  <button type="button" onClick={() => void open(view)}>
                    Open {view.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <button type="button" className="tabstrip-button tabstrip-add" title="New view" aria-label="New view" onClick={() => void createView()}>
        +
      </button>
    </div>
  );
}
