/**
 * What `npm start` keeps out of its terminal unless asked (`npm start -- --log-requests`, or
 * KILN_LOG_REQUESTS=1): a line per request from `wrangler dev`, its start-up banner, and the
 * errors a browser leaving causes (a closed tab resets its sockets: Vite's proxy and wrangler's
 * report that with a stack trace, though nothing is wrong). Pure, so it is tested on its own.
 */

/** Whether the person asked for every line. */
export function wantsRequestLogs(argv: readonly string[], env: Record<string, string | undefined>): boolean {
  return argv.includes("--log-requests") || argv.includes("--verbose") || env.KILN_LOG_REQUESTS === "1";
}

// wrangler dev: "[wrangler:info] GET /api/me 200 OK (12ms)", "… 101 Switching Protocols (4ms)".
const REQUEST_LINE = /^\[wrangler:info\] [A-Z]+ \S+ \d{3}\b.*\(\d+ms\)$/;
// Its banner: the version, the bindings table, "Ready on …" (Kiln prints its own URL).
const BANNER_LINE = /^(⛅️ wrangler |─+$|Using secrets defined in process\.env|Your Worker has access to the following bindings|Binding\s+Resource|env\.\S+ \(|⎔ Starting local server|\[wrangler:info\] Ready on )/;
// A request whose browser went away while the worker answered it.
const CLIENT_GONE = /Error inside ProxyWorker .*(Network connection lost|disconnected|aborted)/i;
const STACK_FRAME = /^\s+at /;

/**
 * A filter for `wrangler dev`'s lines: true to print. Keeps state across lines, so the stack
 * frames under a dropped error go with it.
 */
export function workerLineFilter(verbose: boolean): (line: string) => boolean {
  let droppingStack = false;
  return (raw) => {
    if (verbose) return true;
    // wrangler colours its errors even without a terminal: judge the text.
    const line = raw.replace(/\u001b\[[0-9;]*m/g, "").trim();
    if (droppingStack && STACK_FRAME.test(raw)) return false;
    droppingStack = false;
    if (CLIENT_GONE.test(line)) {
      droppingStack = true;
      return false;
    }
    return !REQUEST_LINE.test(line) && !BANNER_LINE.test(line);
  };
}

const GONE_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE"]);

/** Whether an error Vite's proxy reports is only a browser (or the worker's socket) closing on it. */
export function isDisconnect(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === "string" && GONE_CODES.has(code)) || error.message === "socket hang up";
}
