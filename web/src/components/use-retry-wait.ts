import { useEffect, useState } from "react";
import type { ApiError } from "../api/client";

/** Seconds left before a rate-limited or locked request may be tried again; 0 when it may. */
export function useRetryWait(error: ApiError | null | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  const [until, setUntil] = useState<number | null>(null);

  useEffect(() => {
    setUntil(error?.retryAfter ? Date.now() + error.retryAfter * 1000 : null);
    setNow(Date.now());
  }, [error]);

  useEffect(() => {
    if (until === null) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= until) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [until]);

  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}
