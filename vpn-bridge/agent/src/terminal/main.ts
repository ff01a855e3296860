/**
 * The terminal service's entry (`node /opt/kiln/terminal.mjs`, declared in the terminal
 * image's services.json, started by the agent like any service): shared shells over a
 * WebSocket on port 7681, and the page that shows them. The agent tells it the bridge's VPN
 * address (`KILN_VPN_SERVER`), the only source whose visitor headers it believes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn as spawnPty } from "@lydell/node-pty";
import { TERMINAL_SERVICE } from "../../../../protocol/terminal.ts";
import { describeError, log as agentLog } from "../log.ts";
import { SessionRegistry, type Pty } from "./sessions.ts";
import { VISITOR_INPUT_ENV, visitorInputToucher } from "../visitor-input.ts";
import { type Assets, createTerminalServer } from "./server.ts";

const log = (line: string) => agentLog(`terminal: ${line}`);
const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml" };

/** The page's files, read once: built into `terminal-page/` next to this bundle. */
function readAssets(dir: string): Assets {
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(dir)) assets.set(`/${name}`, { body: readFileSync(join(dir, name)), type: TYPES[extname(name)] ?? "application/octet-stream" });
  return assets;
}

/** A login shell in the home folder; the agent's own variables stay out of it. */
function shell(cols: number, rows: number): Pty {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith("KILN_")) env[key] = value;
  const home = env.HOME ?? "/root";
  return spawnPty(env.SHELL ?? "/bin/bash", ["-l"], { name: "xterm-256color", cols, rows, cwd: home, env: { ...env, HOME: home, TERM: "xterm-256color", COLORTERM: "truecolor" } });
}

const bridgeAddress = process.env.KILN_VPN_SERVER?.trim() || null;
if (!bridgeAddress) log("KILN_VPN_SERVER is not set: every visitor will be refused");
const port = Number(process.env.KILN_TERMINAL_PORT ?? TERMINAL_SERVICE.port);
const assetsDir = process.env.KILN_TERMINAL_ASSETS ?? fileURLToPath(new URL("./terminal-page", import.meta.url));
const registry = new SessionRegistry({ spawn: shell });
const server = createTerminalServer({ registry, assets: readAssets(assetsDir), bridgeAddress, log, onVisitorInput: visitorInputToucher(process.env[VISITOR_INPUT_ENV]) });
server.listen(port, "0.0.0.0", () => log(`listening on ${port}; visitors believed from ${bridgeAddress ?? "nobody"}`));

const stop = (signal: string) => {
  log(`${signal}: telling every page the container is stopping`);
  registry.stopAll();
  server.close();
  // The pages' sockets get their last frame before the process goes.
  setTimeout(() => process.exit(0), 300).unref();
};
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
process.on("uncaughtException", (error) => {
  log(`crashed: ${error.stack ?? describeError(error)}`);
  process.exit(70);
});
