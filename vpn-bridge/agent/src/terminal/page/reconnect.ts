/** The terminal page's reconnection: how long to wait, and why the socket went away. */

/** 0.5 s, 1 s, 2 s … up to 15 s, with ±20 % jitter so pages that dropped together do not knock together. */
export function nextDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export type DownReason = "signed-out" | "gone" | "not-running" | "unreachable";

/**
 * What the host answers a plain request now says why the socket failed: the bridge sends a
 * visitor without a valid cookie to sign in (a redirect), refuses one it must not let in
 * (403), says 404 for a deleted container and 503 for one that is not running. Anything else
 * (the page is there, the network hiccupped) is worth another try.
 */
export function classifyProbe(answer: { type: string; status: number } | null): DownReason {
  if (answer === null) return "unreachable";
  if (answer.type === "opaqueredirect" || (answer.status >= 300 && answer.status < 400) || answer.status === 401 || answer.status === 403) return "signed-out";
  if (answer.status === 404) return "gone";
  if (answer.status === 502 || answer.status === 503 || answer.status === 504) return "not-running";
  return "unreachable";
}

/** Asks the host (without following a redirect) and classifies its answer. */
export async function whyDown(path: string): Promise<DownReason> {
  try {
    const res = await fetch(`${path}?probe=${Date.now()}`, { redirect: "manual", credentials: "same-origin" });
    return classifyProbe({ type: res.type, status: res.status });
  } catch {
    return classifyProbe(null);
  }
}
