/**
 * The bridge's gateways: one socket per org pinned to this bridge (`GET /api/bridge/orgs`,
 * refreshed every minute), plus one opened on demand when a container of an org not listed
 * yet asks for its profile (the org was pinned after the last refresh).
 */
import { BRIDGE_KEY_PREFIX } from "../../protocol/containers.ts";
import { GatewayLink, type LinkHandlers, type LinkSettings } from "./gateway-link.ts";
import { describeError, log, warn } from "./log.ts";
import { BridgeOrgsSchema } from "../../protocol/api/containers.ts";

/** `GET /api/bridge/orgs`: the orgs pinned to this bridge. */

const REFRESH_EVERY_MS = 60_000;
/** An on-demand link to an org that is not (or no longer) pinned is dropped after this long unused. */
const IDLE_LINK_MS = 10 * 60_000;
/** A bound on sockets, against tokens naming made-up orgs (each needs the gateway's yes to matter). */
const MAX_LINKS = 5000;

export class Gateways {
  private readonly links = new Map<string, GatewayLink>();
  /** What else runs for an org while its link does (its kernels' socket). */
  private readonly companions = new Map<string, { stop(): void }>();
  private pinned = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly settings: LinkSettings,
    private readonly handlers: Omit<LinkHandlers, "onRefused"> & {
      /** True while the org has containers on the VPN (its link is then kept). */
      hasSessions(org: string): boolean;
      /** Starts what else the bridge runs for an org while its link is open (kernels); stopped with the link. */
      companion?(org: string): { stop(): void };
    },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Reads the pinned orgs, opens their sockets, and keeps refreshing. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_EVERY_MS);
  }

  /** One refresh of the pinned orgs; a failure keeps what was there. */
  async refresh(): Promise<void> {
    const url = `${this.settings.kilnUrl}/api/bridge/orgs`;
    let orgs: string[];
    try {
      const response = await this.fetchImpl(url, { headers: { authorization: `Bearer ${BRIDGE_KEY_PREFIX}${this.settings.bridgeKey}` }, signal: AbortSignal.timeout(10_000) });
      if (response.status === 401) return warn(`the worker at ${url} refused the bridge key (401) — check KILN_BRIDGE_KEY against the worker's BRIDGE_KEY`);
      if (!response.ok) return warn(`the worker at ${url} answered HTTP ${response.status}; keeping the ${this.pinned.size} orgs known`);
      const parsed = BridgeOrgsSchema.safeParse(await response.json());
      if (!parsed.success) return warn(`the worker at ${url} answered something that is not { orgs: [uuid] }; keeping the orgs known`);
      orgs = parsed.data.orgs;
    } catch (error) {
      return warn(`cannot reach the worker at ${url} (${describeError(error)}); is KILN_URL right? retrying in ${REFRESH_EVERY_MS / 1000} s`);
    }
    const before = this.pinned;
    this.pinned = new Set(orgs);
    const added = orgs.filter((org) => !before.has(org));
    if (added.length > 0 || this.links.size === 0) log(`${orgs.length} org(s) pinned to this bridge${added.length ? ` (${added.length} new)` : ""}`);
    for (const org of orgs) this.link(org);
    const now = Date.now();
    for (const [org, link] of this.links) {
      if (!this.pinned.has(org) && !this.handlers.hasSessions(org) && now - link.lastUsed > IDLE_LINK_MS) this.drop(org);
    }
  }

  /** The org's link, opened now if needed; null when too many are open. */
  link(org: string): GatewayLink | null {
    let link = this.links.get(org);
    if (link) return link;
    if (this.links.size >= MAX_LINKS) {
      warn(`${MAX_LINKS} gateway sockets open already; not opening one for org ${org}`);
      return null;
    }
    link = new GatewayLink(org, this.settings, {
      onMessage: this.handlers.onMessage,
      onOpen: this.handlers.onOpen,
      onRefused: (refusedOrg, status) => {
        // An org the worker does not pin to us: give up on it unless it is listed (then keep retrying).
        if (status !== 401 && !this.pinned.has(refusedOrg)) this.drop(refusedOrg);
      },
    });
    this.links.set(org, link);
    link.start();
    const companion = this.handlers.companion?.(org);
    if (companion) this.companions.set(org, companion);
    return link;
  }

  /** True when the org's socket is open now. */
  isOpen(org: string): boolean {
    return this.links.get(org)?.isOpen ?? false;
  }

  private drop(org: string): void {
    this.links.get(org)?.stop();
    this.links.delete(org);
    this.companions.get(org)?.stop();
    this.companions.delete(org);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const org of [...this.links.keys()]) this.drop(org);
  }
}
