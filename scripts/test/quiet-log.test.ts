/** What `npm start` keeps out of its terminal by default (scripts/local/quiet-log.ts), on lines as wrangler and Vite print them. */
import { describe, expect, it } from "vitest";
import { isDisconnect, wantsRequestLogs, workerLineFilter } from "../local/quiet-log";

const lines = [
  " ⛅️ wrangler 4.156.2 (update available 4.164.0)",
  "───────────────────────────────────────────────",
  "Using secrets defined in process.env",
  "Your Worker has access to the following bindings:",
  "Binding                                                          Resource                  Mode",
  'env.GATEWAY_IDLE_MS ("60000")                                    Environment Variable      local',
  "⎔ Starting local server...",
  "[wrangler:info] Ready on http://127.0.0.1:24179",
  "[wrangler:info] GET /api/health 200 OK (14ms)",
  "[wrangler:info] POST /api/orgs 400 Bad Request (17ms)",
  "[wrangler:info] GET /gw/e466/projects/9ed6/ws 101 Switching Protocols (8ms)",
  "\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m \u001b[1mError inside ProxyWorker (the affected request failed; the dev server continues): POST http://localhost:24178/api/auth/signup (failed after 1 attempt): Network connection lost.\u001b[0m",
  "    at ProxyWorker.fetch (proxy-worker.js:10:5)",
  '{"level":"error","requestId":"r1","msg":"membership push failed"}',
  "✘ [ERROR] Uncaught TypeError: x is not a function",
  "    at handler (worker.js:3:1)",
];

describe("npm start's quiet terminal", () => {
  it("drops request lines, the banner and a browser leaving, and keeps real errors with their stack", () => {
    const keep = workerLineFilter(false);
    expect(lines.filter(keep)).toEqual([
      '{"level":"error","requestId":"r1","msg":"membership push failed"}',
      "✘ [ERROR] Uncaught TypeError: x is not a function",
      "    at handler (worker.js:3:1)",
    ]);
  });

  it("prints every line when asked", () => {
    expect(lines.filter(workerLineFilter(true))).toEqual(lines);
    expect(wantsRequestLogs(["--log-requests"], {})).toBe(true);
    expect(wantsRequestLogs([], { KILN_LOG_REQUESTS: "1" })).toBe(true);
    expect(wantsRequestLogs([], {})).toBe(false);
  });

  it("tells a reset socket from a real proxy failure", () => {
    expect(isDisconnect(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(isDisconnect(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }))).toBe(true);
    expect(isDisconnect(new Error("socket hang up"))).toBe(true);
    expect(isDisconnect(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8787"), { code: "ECONNREFUSED" }))).toBe(false);
    expect(isDisconnect(undefined)).toBe(false);
  });
});
