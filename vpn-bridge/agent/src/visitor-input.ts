/**
 * Visitor input the bridge cannot see: typing in a terminal travels on a WebSocket Nginx
 * checked only when it opened. A service that sees its visitor act touches a file the agent
 * names in `KILN_VISITOR_INPUT_FILE` (its modification time is the news, so no process talks
 * to another), and the agent's next beat says `visitorInput: true`. Idle culling counts it.
 */
import { statSync, utimesSync, writeFileSync } from "node:fs";

export const VISITOR_INPUT_ENV = "KILN_VISITOR_INPUT_FILE";

/** The agent's side: whether the file was touched since the last beat that said so got through. */
export class VisitorInputFile {
  #reported = 0;

  constructor(readonly path: string) {}

  /** The file's time when it is newer than what was reported, else null. */
  pending(): number | null {
    try {
      const at = statSync(this.path).mtimeMs;
      return at > this.#reported ? at : null;
    } catch {
      return null; // not touched yet
    }
  }

  /** A beat saying so was delivered. */
  reported(at: number): void {
    this.#reported = Math.max(this.#reported, at);
  }
}

/** A service's side: touch the file, at most once per `everyMs` (a beat is 5 s anyway). */
export function visitorInputToucher(path: string | undefined, everyMs = 2_000): () => void {
  if (!path) return () => {};
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    try {
      const at = new Date(now);
      utimesSync(path, at, at);
    } catch {
      try {
        writeFileSync(path, "");
      } catch {
        // The agent's folder is not writable: culling then sees only what Nginx sees.
      }
    }
  };
}
