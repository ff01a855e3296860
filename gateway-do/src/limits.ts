/**
 * Limits every connection lives with: frame size, document size, and budgets. A gateway is
 * one thread for the whole organization, so no member may take it over: every frame (sync,
 * presence, ping, event) spends from its sender's budget, shared by all their sockets, and
 * from the organization's; events spend from a smaller budget of their own.
 */

export const MAX_FRAME_BYTES = 1024 * 1024;
/** A project doc refuses events once it has grown past this (GATEWAY_MAX_DOC_BYTES overrides). */
export const MAX_DOC_BYTES = 64 * 1024 * 1024;
/** Sustained events per second per user (all their sockets together), and the burst allowed above it. */
export const EVENTS_PER_SECOND = 20;
export const EVENT_BURST = 40;
/** Sustained frames of any kind per second per user, and the burst: typing, cursors and presence fit well within. */
export const FRAMES_PER_SECOND = 100;
export const FRAME_BURST = 300;
/** Frames per second for the whole organization, and the burst. */
export const ORG_FRAMES_PER_SECOND = 2_000;
export const ORG_FRAME_BURST = 4_000;
/** Open sockets per user in one organization (tabs, devices, scripts). */
export const MAX_SOCKETS_PER_USER = 32;
/** Refusals within REFUSAL_WINDOW_MS after which the connection is closed. */
export const MAX_REFUSALS = 50;
export const REFUSAL_WINDOW_MS = 10_000;
/** Yjs client ids (doc and presence) one connection may speak for; a page reload makes a new connection. */
export const MAX_CLIENTS_PER_CONNECTION = 16;

/** A token bucket: `take()` says whether one more unit may pass now. */
export class TokenBucket {
  #tokens: number;
  #at = Date.now();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  take(now = Date.now()): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** What a budget said: pass, or refused (with the connection's recent refusals, to close it when they pile up). */
export type Spend = { allowed: true } | { allowed: false; refusals: number };

/**
 * The budgets of one organization's gateway, in memory (a fresh budget after hibernation is
 * harmless: hibernation means nobody was busy).
 */
export class Budgets {
  readonly #users = new Map<string, { frames: TokenBucket; events: TokenBucket }>();
  readonly #org = new TokenBucket(ORG_FRAMES_PER_SECOND, ORG_FRAME_BURST);
  /** When each user's recent refusals happened, oldest first: past MAX_REFUSALS, each socket refused again is closed. */
  readonly #refusals = new Map<string, number[]>();

  #user(userId: string) {
    let budget = this.#users.get(userId);
    if (!budget) {
      budget = { frames: new TokenBucket(FRAMES_PER_SECOND, FRAME_BURST), events: new TokenBucket(EVENTS_PER_SECOND, EVENT_BURST) };
      this.#users.set(userId, budget);
    }
    return budget;
  }

  #refuse(userId: string, now: number): Spend {
    const list = this.#refusals.get(userId) ?? [];
    while (list.length > 0 && list[0]! <= now - REFUSAL_WINDOW_MS) list.shift();
    if (list.length >= MAX_REFUSALS) list.shift(); // the latest ones are all the count needs
    list.push(now);
    this.#refusals.set(userId, list);
    return { allowed: false, refusals: list.length };
  }

  /** Any frame: the user's budget first, so one member's flood spends their own budget, not the org's. */
  frame(userId: string, now = Date.now()): Spend {
    if (!this.#user(userId).frames.take(now) || !this.#org.take(now)) return this.#refuse(userId, now);
    return { allowed: true };
  }

  /** An event, on top of its frame. */
  event(userId: string, now = Date.now()): Spend {
    return this.#user(userId).events.take(now) ? { allowed: true } : this.#refuse(userId, now);
  }
}
