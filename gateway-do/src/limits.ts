/** Limits every connection lives with: frame size, events per second, document size. */

export const MAX_FRAME_BYTES = 1024 * 1024;
/** A project doc refuses events that would grow it past this. */
export const MAX_DOC_BYTES = 64 * 1024 * 1024;
/** Sustained events per second per connection, and the burst allowed above it. */
export const EVENTS_PER_SECOND = 20;
export const EVENT_BURST = 40;
/** Refusals in a row after which the connection is closed. */
export const MAX_REFUSALS = 50;

/** A token bucket: `take()` says whether one more event may pass now. */
export class RateLimiter {
  #tokens = EVENT_BURST;
  #at = Date.now();
  #refusals = 0;

  take(now = Date.now()): { allowed: boolean; refusals: number } {
    this.#tokens = Math.min(EVENT_BURST, this.#tokens + ((now - this.#at) / 1000) * EVENTS_PER_SECOND);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      this.#refusals = 0;
      return { allowed: true, refusals: 0 };
    }
    return { allowed: false, refusals: ++this.#refusals };
  }
}

/** WebSocket close codes of the gateway, beyond 4001 (token) and 4003 (access). */
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_RATE_LIMITED = 4029;
