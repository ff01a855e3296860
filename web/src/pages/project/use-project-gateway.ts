/**
 * A project's gateway connection for a settings page: opened while the page is shown, and
 * a snapshot of what the page reads from the project's doc, rebuilt when the doc changes.
 */
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type * as Y from "yjs";
import { GatewayProvider, type ConnectionStatus } from "../../gateway/provider";

/** Opens a project's gateway connection: the real one, or a stand-in in tests. */
export const GatewayFactory = createContext<(org: string, project: string) => GatewayProvider>((org, project) => new GatewayProvider({ org, project }));

export interface GatewayView<T> {
  provider: GatewayProvider | null;
  status: ConnectionStatus;
  deniedReason: string | null;
  /** Read from the doc once it has synced, and kept while reconnecting; null before the first sync. */
  data: T | null;
}

/** Counts every change of a provider (status, doc replaced, doc updated) from its creation on, so no change is missed. */
class ProviderWatch {
  version = 0;
  readonly #listeners = new Set<() => void>();
  readonly #stop: () => void;

  constructor(readonly provider: GatewayProvider) {
    // A settings page is not on the board: no presence for others to see.
    provider.awareness.setLocalState(null);
    let doc = provider.doc;
    const changed = () => {
      this.version++;
      for (const listener of this.#listeners) listener();
    };
    doc.on("update", changed);
    const offStatus = provider.on("status", changed);
    const offDoc = provider.on("doc", (next) => {
      // A resync brings a fresh awareness too: keep this page out of the presence.
      provider.awareness.setLocalState(null);
      doc.off("update", changed);
      doc = next;
      doc.on("update", changed);
      changed();
    });
    this.#stop = () => {
      doc.off("update", changed);
      offStatus();
      offDoc();
    };
  }

  subscribe = (listener: () => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  destroy(): void {
    this.#stop();
    this.provider.destroy();
  }
}

const noSubscription = () => () => {};

/** Connects to the project's gateway and reads `read(doc)` whenever the doc changes. */
export function useProjectGateway<T>(org: string, project: string, read: (doc: Y.Doc) => T): GatewayView<T> {
  const open = useContext(GatewayFactory);
  const [watch, setWatch] = useState<ProviderWatch | null>(null);
  useEffect(() => {
    const w = new ProviderWatch(open(org, project));
    setWatch(w);
    return () => w.destroy();
  }, [open, org, project]);

  const readRef = useRef(read);
  readRef.current = read;
  const cache = useRef<{ watch: ProviderWatch | null; version: number; view: GatewayView<T> } | null>(null);
  const snapshot = (): GatewayView<T> => {
    const c = cache.current;
    const version = watch?.version ?? 0;
    if (c && c.watch === watch && c.version === version) return c.view;
    const provider = watch?.provider ?? null;
    const view: GatewayView<T> = {
      provider,
      status: provider?.status ?? "connecting",
      deniedReason: provider?.deniedReason ?? null,
      // Kept through a disconnection, so a page (and a half-filled form) stays while it reconnects.
      data: provider?.synced ? readRef.current(provider.doc) : c && c.watch === watch ? c.view.data : null,
    };
    cache.current = { watch, version, view };
    return view;
  };
  return useSyncExternalStore(watch?.subscribe ?? noSubscription, snapshot);
}
