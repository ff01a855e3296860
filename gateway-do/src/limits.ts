/** Limits every connection lives with: frame size, events per second, document size. */

export const MAX_FRAME_BYTES = 1024 * 1024;
/** A project doc refuses events once it has grown past this (GATEWAY_MAX_DOC_BYTES overrides). */
export const MAX_DOC_BYTES = 64 * 1024 * 1024;
/** Sustained events per second per connection, and the burst allowed above it. */
export const EVENTS_PER_SECOND = 20;
export const EVENT_BURST = 40;
/** Refusals within REFUSAL_WINDOW_MS after which the connection is closed. */
export const MAX_REFUSALS = 50;
export const REFUSAL_WINDOW_MS = 10_000;

/** A token bucket: `take()` says whether one more event may pass now. */
export class RateLimiter {
  #tokens = EVENT_BURST;
  #at = Date.now();
  /** When recent refusals happened, oldest first. */
  #refused: number[] = [];

  /** Whether one more event may pass now, and how many were refused in the recent window. */
  take(now = Date.now()): { allowed: boolean; refusals: number } {
    this.#tokens = Math.min(EVENT_BURST, this.#tokens + ((now - this.#at) / 1000) * EVENTS_PER_SECOND);
    this.#at = now;
    while (this.#refused.length > 0 && this.#refused[0]! <= now - REFUSAL_WINDOW_MS) this.#refused.shift();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { allowed: true, refusals: this.#refused.length };
    }
    this.#refused.push(now);
    return { allowed: false, refusals: this.#refused.length };
  }
}

/** WebSocket close codes of the gateway, beyond 4001 (token) and 4003 (access). */
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_RATE_LIMITED = 4029;
