/**
 * Visitor activity, for the gateway's idle culling: the bridge sees every request a visitor
 * makes through Nginx (`auth_request`), and hears from the agent when someone typed in a
 * terminal (a WebSocket Nginx checked only when it opened). The gateway needs minutes, not
 * every request: each container's activity goes out at once, then at most once per
 * `everyMs` (the last burst in a quiet period is sent when the period ends).
 */

export class VisitorActivity {
  readonly #containers = new Map<string, { org: string; sentAt: number; pending: boolean; timer: NodeJS.Timeout | null }>();

  constructor(
    private readonly send: (org: string, container: string) => void,
    private readonly everyMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A visitor used `container` of `org` now. */
  touch(org: string, container: string): void {
    const now = this.now();
    const entry = this.#containers.get(container);
    if (!entry || now - entry.sentAt >= this.everyMs) {
      if (entry?.timer) clearTimeout(entry.timer);
      this.#containers.set(container, { org, sentAt: now, pending: false, timer: null });
      this.send(org, container);
      return;
    }
    entry.pending = true;
    entry.timer ??= setTimeout(() => this.#flush(container), entry.sentAt + this.everyMs - now);
    entry.timer.unref?.();
  }

  #flush(container: string): void {
    const entry = this.#containers.get(container);
    if (!entry) return;
    entry.timer = null;
    if (!entry.pending) return void this.#containers.delete(container);
    entry.pending = false;
    entry.sentAt = this.now();
    this.send(entry.org, container);
    // Forgotten after a quiet period, so the map holds only containers in use.
    entry.timer = setTimeout(() => this.#flush(container), this.everyMs);
    entry.timer.unref?.();
  }

  /** The container is gone: nothing more to send for it. */
  forget(container: string): void {
    const entry = this.#containers.get(container);
    if (entry?.timer) clearTimeout(entry.timer);
    this.#containers.delete(container);
  }

  /** Stops every timer (the bridge stopping). */
  stop(): void {
    for (const container of [...this.#containers.keys()]) this.forget(container);
  }
}

/**
 * Whether a request a visitor was let in for is use: a page opened (a navigation), a socket
 * opened, or a change sent (anything but GET and HEAD). A script's GETs are not: a tab left
 * open polls in the background, and must not keep a container awake forever. A client that
 * sends no Fetch Metadata (curl, an older browser) is counted.
 */
export function isVisitorActivity(request: { method: string; fetchMode: string | null; upgrade: boolean }): boolean {
  if (request.upgrade) return true;
  if (request.method !== "GET" && request.method !== "HEAD") return true;
  return request.fetchMode === null || request.fetchMode === "" || request.fetchMode === "navigate";
}
