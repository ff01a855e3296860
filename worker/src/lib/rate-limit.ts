/**
 * Fixed-window rate limits kept in Postgres, so every isolate sees the same counts.
 * `enforceRateLimits` counts one attempt against each rule and refuses with 429 and
 * Retry-After when any is over its limit.
 */
import { sql } from "drizzle-orm";
import type { Executor as Database } from "../../../drizzle/client";
import { tooManyRequests } from "./errors";

export interface RateLimitRule {
  /** What is limited, e.g. `login:ip:203.0.113.7` or `login:email:ada@example.com`. */
  key: string;
  limit: number;
  windowSeconds: number;
}

/** Counts a hit; returns the count in the current window and the seconds until it ends. */
async function hit(db: Database, rule: RateLimitRule): Promise<{ count: number; resetInSeconds: number }> {
  const window = sql`make_interval(secs => ${rule.windowSeconds})`;
  const { rows } = await db.execute<{ count: number; reset_in: number }>(sql`
    insert into rate_limits (key, window_started_at, count) values (${rule.key}, now(), 1)
    on conflict (key) do update set
      count = case when rate_limits.window_started_at <= now() - ${window} then 1 else rate_limits.count + 1 end,
      window_started_at = case when rate_limits.window_started_at <= now() - ${window} then now() else rate_limits.window_started_at end
    returning count, extract(epoch from (window_started_at + ${window} - now()))::float8 as reset_in`);
  const row = rows[0]!;
  return { count: Number(row.count), resetInSeconds: Number(row.reset_in) };
}

/** Counts one attempt against every rule; throws 429 if any is exceeded. */
export async function enforceRateLimits(db: Database, rules: RateLimitRule[]): Promise<void> {
  let retryAfter = 0;
  for (const rule of rules) {
    const { count, resetInSeconds } = await hit(db, rule);
    if (count > rule.limit) retryAfter = Math.max(retryAfter, resetInSeconds);
  }
  if (retryAfter > 0) {
    const wait = retryAfter > 90 ? `${Math.ceil(retryAfter / 60)} minutes` : `${Math.ceil(retryAfter)} seconds`;
    throw tooManyRequests("rate_limited", `Too many attempts. Try again in ${wait}.`, retryAfter);
  }
}
