/**
 * A peer Yjs server for the benchmark, run as a child process on loopback:
 * `peer-server.ts y-websocket|hocuspocus <port>`. Prints `listening <port>` when ready.
 * Both keep their documents in memory only, as started here. With KILN_BENCH_GC_TRACE set
 * (`bench:gateway -- --gc-trace`), it also prints a `gc …` line for each garbage collection.
 */
import { createServer } from "node:http";
import { type PerformanceEntry, PerformanceObserver, constants } from "node:perf_hooks";
import { Server as HocuspocusServer } from "@hocuspocus/server";
import { setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";
import { nodeGcLine } from "./gc-trace";

const [kind, portArg] = process.argv.slice(2);
const port = Number(portArg);

async function main(): Promise<void> {
  if (kind === "y-websocket") {
    const http = createServer((_req, res) => res.writeHead(426).end());
    const wss = new WebSocketServer({ server: http });
    wss.on("connection", (conn, req) => setupWSConnection(conn, req));
    await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  } else if (kind === "hocuspocus") {
    const server = new HocuspocusServer({ port, address: "127.0.0.1", quiet: true, stopOnSignals: false });
    await server.listen();
  } else {
    throw new Error(`unknown peer ${kind}`);
  }
  console.log(`listening ${port}`);
}

if (process.env.KILN_BENCH_GC_TRACE) {
  new PerformanceObserver((entries) => {
    for (const e of entries.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      console.log(nodeGcLine(performance.timeOrigin + e.startTime, e.duration, kind === constants.NODE_PERFORMANCE_GC_MAJOR));
    }
  }).observe({ entryTypes: ["gc"] });
}

// The benchmark stops this process with SIGTERM (or it dies with its parent's Ctrl-C).
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
