import { useEffect, useState } from "react";
import type { ApiError } from "../api/client";

/** Seconds left before a rate-limited or locked request may be tried again; 0 when it may. */
export function useRetryWait(error: ApiError | null | undefined): number {
  const until = error?.retryAt ?? null;
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= until) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [until]);

  if (until === null) return 0;
  // `now` may predate the error until the first tick: count from when it arrived at the earliest.
  const from = Math.max(now, until - (error?.retryAfter ?? 0) * 1000);
  return Math.max(0, Math.ceil((until - from) / 1000));
}

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}
