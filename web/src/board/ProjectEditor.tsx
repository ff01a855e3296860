/**
 * The project editor at /orgs/:org/projects/:project: connects to the project's gateway,
 * and lays out the tab bar, the toolbar, the whiteboard, the modules' side panels (chats),
 * presence and the connection state.
 */
import "@xyflow/react/dist/style.css";
import "./board.css";
import { ReactFlowProvider } from "@xyflow/react";
import { useCallback, useEffect, useState } from "react";
import { GatewayProvider } from "../gateway/provider";
import type { SidePanel } from "../modules/kit";
import { boardOverlays, sidePanels } from "../modules/registry";
import { Canvas } from "./Canvas";
import type { EdgeKind } from "./flow-model";
import { Icon } from "./Icon";
import { fetchMe, fetchMemberNames } from "./people";
import { PALETTE } from "./presence";
import { BoardStore } from "./store";
import { BoardContext, useBoard } from "./store-context";
import { TabBar } from "./TabBar";
import type { OpenTab } from "./tab-model";
import { StylePanel } from "./StylePanel";
import { Toasts } from "./Toasts";
import { Toolbar } from "./Toolbar";
import { useBoardActions } from "./use-board-actions";

type Loading = { kind: "loading" } | { kind: "signed-out" } | { kind: "error"; message: string } | { kind: "ready"; store: BoardStore; names: Map<string, string> };

export function ProjectEditor({ orgId, projectId }: { orgId: string; projectId: string }) {
  const [state, setState] = useState<Loading>({ kind: "loading" });

  useEffect(() => {
    let cancelled = false;
    let cleanup = () => {};
    void Promise.all([fetchMe(), fetchMemberNames(orgId)]).then(
      ([me, names]) => {
        if (cancelled) return;
        if (!me) return setState({ kind: "signed-out" });
        const provider = new GatewayProvider({ org: orgId, project: projectId });
        const store = new BoardStore(provider, { userId: me.id, name: me.name, color: PALETTE[0]! }, { org: orgId, project: projectId });
        // Leaving with changes whose answer has not come: the browser asks first.
        const leaving = (e: BeforeUnloadEvent) => {
          if (provider.waiting > 0) e.preventDefault();
        };
        window.addEventListener("beforeunload", leaving);
        cleanup = () => {
          window.removeEventListener("beforeunload", leaving);
          store.destroy();
          provider.destroy();
        };
        setState({ kind: "ready", store, names });
      },
      (error: unknown) => !cancelled && setState({ kind: "error", message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      cancelled = true;
      cleanup();
    };
  }, [orgId, projectId]);

  if (state.kind === "loading") return <p className="board-message">Opening the project…</p>;
  if (state.kind === "signed-out") return <p className="board-message">You are signed out. <a href="/">Sign in</a> to open this project.</p>;
  if (state.kind === "error") return <p className="board-message error" role="alert">{state.message}</p>;
  return (
    <BoardContext.Provider value={state.store}>
      <ReactFlowProvider>
        <EditorLayout names={state.names} memory={`${orgId}/${projectId}`} />
      </ReactFlowProvider>
    </BoardContext.Provider>
  );
}

function EditorLayout({ names, memory }: { names: Map<string, string>; memory: string }) {
  const actions = useBoardActions();
  const [edgeKind, setEdgeKind] = useState<EdgeKind>("relates-to");
  // Every side panel starts open (closed on a phone: the board gets the screen); its toggle hides it, and it opens
  // again when it says (a chat opened on the board).
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set(isNarrowScreen() ? sidePanels().map((p) => p.id) : []));
  const show = useCallback((id: string, shown: boolean) => setHidden((h) => (shown === !h.has(id) ? h : shown ? new Set([...h].filter((x) => x !== id)) : new Set([...h, id]))), []);
  // The tab shown: a content tab (a container's app) is drawn over the board, which stays mounted under it.
  const [shown, setShown] = useState<OpenTab | null>(null);
  const status = useBoard((s) => s.status);
  const denied = useBoard((s) => s.deniedReason);
  const waiting = useBoard((s) => s.waiting);
  return (
    <div className="editor">
      <header className="editor-top">
        <TabBar onCurrent={setShown} />
        <Presence />
        <span className={`status status-${status}`} data-testid="connection-status" title={denied ?? undefined}>
          <span className="dot" aria-hidden="true" />
          {status === "online" ? "Online" : status === "connecting" ? "Connecting…" : status === "offline" ? "Offline" : "No access"}
        </span>
        {sidePanels().map((p) => (
          <PanelToggle key={p.id} panel={p} shown={!hidden.has(p.id)} show={show} />
        ))}
      </header>
      {status === "offline" && (
        <div className="banner banner-offline" role="status">
          You are offline. Note text you type is kept and syncs when the connection is back; other changes cannot be made until then. Reconnecting…
          {waiting > 0 && <WaitingNote count={waiting} offline />}
        </div>
      )}
      {status !== "offline" && waiting > 0 && <WaitingNote count={waiting} offline={false} />}
      {status === "denied" && (
        <div className="banner banner-denied" role="alert">
          {denied ?? "You have no access to this project."}
        </div>
      )}
      {/* The board's tools are for the board: not over a tab's own content. */}
      {!shown?.content && <Toolbar actions={actions} edgeKind={edgeKind} onEdgeKind={setEdgeKind} />}
      {!shown?.content && <StylePanel />}
      <div className="editor-body">
        <div className="editor-main">
          <Canvas edgeKind={edgeKind} memory={memory} />
          {shown?.content && (
            <section className="tab-content" aria-label={shown.title}>
              <shown.content target={shown.target} />
            </section>
          )}
        </div>
        {sidePanels().map((p) => !hidden.has(p.id) && <p.component key={p.id} names={names} />)}
      </div>
      {boardOverlays().map((Overlay, i) => (
        <Overlay key={i} />
      ))}
      <Toasts />
    </div>
  );
}

const noBadge = () => 0;
const noOpens = () => null;

/** A phone's width: side panels start closed there. */
function isNarrowScreen(): boolean {
  return typeof window !== "undefined" && window.matchMedia?.("(max-width: 640px)").matches === true;
}

/** A side panel's toggle, with its badge (unread messages); opens the panel when the panel asks. */
function PanelToggle({ panel, shown, show }: { panel: SidePanel; shown: boolean; show: (id: string, shown: boolean) => void }) {
  // A panel's hooks, called on every render of its own toggle (the panel never changes).
  const badge = (panel.useBadge ?? noBadge)();
  const opens = (panel.useOpens ?? noOpens)();
  useEffect(() => {
    if (opens) show(panel.id, true);
  }, [opens, panel.id, show]);
  return (
    <button type="button" className="panel-toggle" aria-pressed={shown} onClick={() => show(panel.id, !shown)}>
      <Icon name={panel.icon} /> {panel.label}
      {badge > 0 ? <b className="badge">{badge}</b> : null}
    </button>
  );
}

/**
 * Changes sent whose answer has not come. They are not undone (the gateway may have made
 * them): they are sent again, under the same request ids, once connected, and the answer
 * then says what happened.
 */
function WaitingNote({ count, offline }: { count: number; offline: boolean }) {
  const changes = count === 1 ? "1 change waiting" : `${count} changes waiting`;
  // Online, a change waits a moment for its answer: say so only once it is more than a moment.
  const [shown, setShown] = useState(offline);
  useEffect(() => {
    if (offline) return setShown(true);
    const timer = setTimeout(() => setShown(true), 1_500);
    return () => clearTimeout(timer);
  }, [offline]);
  if (!shown) return null;
  return (
    <span className="waiting-note" data-testid="changes-waiting">
      {" "}
      {changes} for the gateway's answer: {offline ? "sent again when the connection is back, never twice." : "still sending…"}
    </span>
  );
}

/** Who else is in the project, as coloured initials. */
function Presence() {
  const peers = useBoard((s) => s.peers);
  const me = useBoard((s) => s.me);
  const views = useBoard((s) => s.views);
  // One avatar per person, however many tabs they have open (this person's other tabs included).
  const people = [...new Map(peers.filter((p) => p.userId !== me.userId).map((p) => [p.userId, p])).values()];
  return (
    <ul className="presence" aria-label="People here">
      <li className="avatar" style={{ background: me.color }} title={`${me.name} (you)`}>
        {me.name.slice(0, 1).toUpperCase()}
      </li>
      {people.map((p) => (
        <li key={p.userId} className="avatar" style={{ background: p.color }} title={`${p.name} — ${views.find((v) => v.id === p.view)?.name ?? "elsewhere"}`} data-testid="peer-avatar">
          {p.name.slice(0, 1).toUpperCase()}
        </li>
      ))}
    </ul>
  );
}
