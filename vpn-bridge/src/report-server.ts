/** `POST /v1/report` (on the VPN address only): a container's heartbeat, relayed to its gateway; the answer carries a pending command. */
import { createServer, type Server } from "node:http";
import { AgentReportSchema, type AgentReport, type AgentReportAnswer } from "../../protocol/containers.ts";
import type { TokenVerdict } from "./bridge.ts";
import { BodyTooLarge, bearerToken, readBody, remoteAddress, sendError, sendJson } from "./http-util.ts";
import { describeError, warn } from "./log.ts";
import { identifyReporter } from "./report.ts";
import type { Session } from "./sessions.ts";

export interface ReportDeps {
  sessionAt(address: string): Session | undefined;
  checkToken(token: string, purpose: "report"): Promise<TokenVerdict>;
  /** Relays the report; returns the command waiting for the container, if any. */
  relay(session: Session, report: AgentReport): AgentReportAnswer;
}

const BODY_LIMIT = 64 * 1024;

export function createReportServer(deps: ReportDeps): Server {
  return createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/v1/report") return sendError(res, 404, "not_found", "The bridge takes POST /v1/report here.");
    if (req.method !== "POST") return sendError(res, 405, "method_not_allowed", "Use POST.");
    void (async () => {
      const source = remoteAddress(req);
      const token = bearerToken(req);
      const who = identifyReporter(deps.sessionAt(source), source, token);
      if (who.kind === "refused") return sendError(res, who.status, who.code, who.message);
      if (who.kind === "check" && token) {
        const verdict = await deps.checkToken(token, "report");
        if (!verdict.ok) return sendError(res, verdict.status, "invalid_token", verdict.reason);
      }
      let json: unknown;
      try {
        json = JSON.parse(await readBody(req, BODY_LIMIT));
      } catch (error) {
        if (error instanceof BodyTooLarge) return sendError(res, 413, "too_large", `A report is at most ${BODY_LIMIT} bytes.`);
        return sendError(res, 400, "invalid_json", "The body must be JSON.");
      }
      const report = AgentReportSchema.safeParse(json);
      if (!report.success) {
        return sendError(res, 400, "invalid_report", report.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
      }
      sendJson(res, 200, deps.relay(who.session, report.data));
    })().catch((error: unknown) => {
      warn(`report: ${describeError(error)}`);
      if (!res.headersSent) sendError(res, 500, "internal", "The bridge failed; see its log.");
    });
  });
}
