import { AgentReportAnswerSchema, type AgentReportAnswer, type Service } from "../../../protocol/containers.ts";
import type { HttpAnswer } from "./http.ts";

/** Every this often the agent says it is alive, with fresh metrics. */
export const HEARTBEAT_MS = 5_000;
/** A beat that takes longer is dropped: the next one comes soon. */
export const BEAT_TIMEOUT_MS = 4_000;
/** The goodbye must not hold up `docker stop` (10 s before SIGKILL by default). */
export const GOODBYE_TIMEOUT_MS = 1_500;

export type ReportOutcome = { kind: "delivered"; command: AgentReportAnswer["command"] } | { kind: "refused"; reason: string } | { kind: "failed"; reason: string };

/** What an answer to `POST reportUrl` (or the failure to get one) means. */
export function classifyReportAnswer(answer: HttpAnswer | { error: string }): ReportOutcome {
  if ("error" in answer) return { kind: "failed", reason: answer.error };
  if (answer.status === 401 || answer.status === 403) return { kind: "refused", reason: `HTTP ${answer.status}` };
  if (answer.status < 200 || answer.status > 299) return { kind: "failed", reason: `HTTP ${answer.status}` };
  if (answer.status === 204 || answer.body.trim() === "") return { kind: "delivered", command: null };
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return { kind: "failed", reason: "the answer is not JSON" };
  }
  const parsed = AgentReportAnswerSchema.safeParse(json);
  if (!parsed.success) return { kind: "failed", reason: "the answer is malformed" };
  return { kind: "delivered", command: parsed.data.command };
}

/** The identity of a service list, order aside: reports go out at once when it changes. */
export function servicesKey(services: Service[]): string {
  return services.map((service) => `${service.name}:${service.port}/${service.protocol}`).sort().join(",");
}

/**
 * What the report loop logs after a report: a line when delivery starts failing, when the
 * reason changes, and when it recovers, rather than one every 5 s.
 */
export function deliveryLogLine(previousFailure: string | null, outcome: ReportOutcome, isFirst: boolean): string | null {
  if (outcome.kind === "delivered") {
    if (previousFailure !== null) return "reports are delivered again";
    return isFirst ? "first report delivered" : null;
  }
  if (outcome.kind === "refused") return `the bridge refused the token on a report (${outcome.reason})`;
  return outcome.reason === previousFailure ? null : `report not delivered (${outcome.reason}); retrying with the next beat`;
}
