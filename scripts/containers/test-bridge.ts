/**
 * A stand-in for the VPN bridge's agent endpoints, for the container tests: `GET /v1/profile`
 * and `POST /v1/report`, checked with the bearer tokens it is given. Run in the "VPS" network
 * namespace: `nsenter --net=… node --import tsx test-bridge.ts` with KH_PORT, KH_TOKENS
 * (JSON token → container), KH_PROFILE (a file holding the ovpn), KH_REPORT_URL.
 * It prints one JSON line per request on stdout; a JSON line on stdin
 * `{"container", "command"}` queues a command for that container's next report.
 */
import http from "node:http";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { AgentReportSchema } from "../../protocol/containers.ts";
import type { TestBridgeEvent } from "./test-bridge-events.ts";

const CommandSchema = z.object({ container: z.string(), command: z.enum(["stop", "restart"]) });

function main(): void {
  const port = Number(process.env.KH_PORT);
  const tokens = z.record(z.string(), z.string()).parse(JSON.parse(process.env.KH_TOKENS ?? "{}"));
  const ovpn = readFileSync(process.env.KH_PROFILE ?? "", "utf8");
  const reportUrl = process.env.KH_REPORT_URL ?? "";
  const commands = new Map<string, "stop" | "restart">();
  const emit = (event: TestBridgeEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

  createInterface({ input: process.stdin }).on("line", (line) => {
    const command = CommandSchema.parse(JSON.parse(line));
    commands.set(command.container, command.command);
  });

  const server = http.createServer((req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const container = tokens[token] ?? null;
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const refused = { error: { code: "token_refused", message: "unknown container token" } };
    if (req.method === "GET" && req.url === "/v1/profile") {
      const status = container ? 200 : 401;
      emit({ event: "profile", at: Date.now(), container, token, status });
      return container ? answer(200, { ovpn, reportUrl }) : answer(401, refused);
    }
    if (req.method === "POST" && req.url === "/v1/report") {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const parsed = AgentReportSchema.safeParse(safeJson(Buffer.concat(chunks).toString("utf8")));
        const status = !container ? 401 : parsed.success ? 200 : 400;
        const command = status === 200 && container ? commands.get(container) ?? null : null;
        if (command && container) commands.delete(container);
        emit({ event: "report", at: Date.now(), container, remote: req.socket.remoteAddress ?? "", status, report: parsed.success ? parsed.data : null, command });
        if (status === 401) return answer(401, refused);
        if (status === 400) return answer(400, { error: { code: "bad_report", message: "not an AgentReport" } });
        answer(200, { command });
      });
      return;
    }
    answer(404, { error: { code: "not_found", message: "no such endpoint" } });
  });
  server.listen(port, "0.0.0.0", () => emit({ event: "listening", port }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

main();
