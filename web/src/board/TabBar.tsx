/** The project's views as tabs, with who is looking at each; a new view from "+". */
import { useState } from "react";
import { useBoard, useBoardStore } from "./store-context";

export function TabBar() {
  const store = useBoardStore();
  const views = useBoard((s) => s.views);
  const viewId = useBoard((s) => s.viewId);
  const peers = useBoard((s) => s.peers);
  const [renaming, setRenaming] = useState<string | null>(null);
  const createView = async () => {
    const before = new Set(views.map((v) => v.id));
    const ok = await store.run({ events: [{ type: "whiteboard:create-view", name: `View ${views.length + 1}` }] });
    const created = ok ? store.getSnapshot().views.find((v) => !before.has(v.id)) : undefined;
    if (created) store.setView(created.id);
  };
  return (
    <nav className="tab-bar" aria-label="Views">
      {views.map((view) => {
        const here = peers.filter((p) => p.view === view.id);
        return (
          <div key={view.id} className={`tab${view.id === viewId ? " is-active" : ""}`}>
            {renaming === view.id ? (
              <input
                autoFocus
                defaultValue={view.name}
                aria-label="View name"
                onBlur={(e) => {
                  setRenaming(null);
                  const name = e.target.value.trim();
                  if (name && name !== view.name) void store.run({ events: [{ type: "whiteboard:rename-view", viewId: view.id, name }] });
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter") e.currentTarget.blur();
                  if (e.key === "Escape") setRenaming(null);
                }}
              />
            ) : (
              <button type="button" onClick={() => store.setView(view.id)} onDoubleClick={() => setRenaming(view.id)} aria-current={view.id === viewId ? "page" : undefined}>
                {view.name}
              </button>
            )}
            <span className="tab-peers">
              {here.map((p) => (
                <span key={p.clientId} className="dot" style={{ background: p.color }} title={`${p.name} is here`} />
              ))}
            </span>
          </div>
        );
      })}
      <button type="button" className="tab-add" title="New view" aria-label="New view" onClick={() => void createView()}>
        +
      </button>
    </nav>
  );
}
