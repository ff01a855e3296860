/** Starts `test-bridge.ts` in a namespace and collects what it prints, for the tests to wait on. */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { stopChild, waitFor } from "./exec.ts";
import { TestBridgeEventSchema, type TestBridgeEvent } from "./test-bridge-events.ts";

export interface TestBridge {
  events: TestBridgeEvent[];
  /** Queues a command for `container`'s next report. */
  command(container: string, command: "stop" | "restart"): void;
  waitFor<T extends TestBridgeEvent>(what: string, match: (event: TestBridgeEvent) => event is T, timeoutMs: number, after?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startTestBridge(enter: string[], env: { port: number; tokens: Record<string, string>; profileFile: string; reportUrl: string }): Promise<TestBridge> {
  const script = fileURLToPath(new URL("./test-bridge.ts", import.meta.url));
  const child = spawn(enter[0]!, [...enter.slice(1), process.execPath, "--import", "tsx", script], {
    env: { ...process.env, KH_PORT: String(env.port), KH_TOKENS: JSON.stringify(env.tokens), KH_PROFILE: env.profileFile, KH_REPORT_URL: env.reportUrl },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const events: TestBridgeEvent[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const parsed = TestBridgeEventSchema.safeParse(JSON.parse(line));
    if (parsed.success) events.push(parsed.data);
    else throw new Error(`test bridge printed an unknown line: ${line}`);
  });
  const bridge: TestBridge = {
    events,
    command: (container, command) => child.stdin!.write(`${JSON.stringify({ container, command })}\n`),
    waitFor: (what, match, timeoutMs, after = 0) => waitFor(what, () => events.slice(after).find(match) ?? null, timeoutMs, 50),
    stop: () => stopChild(child),
  };
  await bridge.waitFor("the test bridge to listen", (event): event is TestBridgeEvent => event.event === "listening", 20_000);
  return bridge;
}
