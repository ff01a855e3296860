/**
 * A CPU profile of the worker under `wrangler dev`, through its DevTools inspector port
 * (Chrome DevTools Protocol), summarised as the functions with the most self time. A
 * native function (no script) is named with its caller, since `exec` may be SQLite or a RegExp.
 * Used with `npm run bench:gateway -- --profile`.
 */
import { WebSocket } from "ws";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface Profiler {
  /** Stops and returns the top functions by self time, as printable lines. */
  stop(top?: number): Promise<string[]>;
}

/** Starts sampling the worker's isolate; `inspectorPort` is wrangler's `--inspector-port`. */
export async function startProfiler(inspectorPort: number): Promise<Profiler> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { webSocketDebuggerUrl: string; title?: string }[];
  const target = targets[0];
  if (!target) throw new Error("the inspector lists no worker");
  // The inspector admits local origins only (and needs one when a user agent is sent).
  const ws = new WebSocket(target.webSocketDebuggerUrl, { origin: "http://localhost" });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", (error) => reject(new Error(`could not open the inspector: ${error.message}`)));
  });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve) => {
      pending.set(++id, resolve as (result: unknown) => void);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  await send("Profiler.start");
  return {
    async stop(top = 25) {
      const { profile } = await send<{ profile: { nodes: ProfileNode[]; startTime: number; endTime: number } }>("Profiler.stop");
      ws.close();
      const total = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
      const parents = new Map<number, ProfileNode>();
      for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
      const name = ({ callFrame: { functionName, url, lineNumber } }: ProfileNode) => `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
      const bySelf = new Map<string, number>();
      for (const node of profile.nodes) {
        const caller = node.callFrame.url === "" ? parents.get(node.id) : undefined;
        const key = caller && caller.callFrame.url !== "" ? `${name(node)} ← ${name(caller)}` : name(node);
        bySelf.set(key, (bySelf.get(key) ?? 0) + (node.hitCount ?? 0));
      }
      const wallMs = (profile.endTime - profile.startTime) / 1000;
      return [
        `${total} samples over ${(wallMs / 1000).toFixed(1)} s`,
        ...[...bySelf]
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(([key, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`),
      ];
    },
  };
}
