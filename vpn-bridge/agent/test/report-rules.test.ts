import { describe, expect, it } from "vitest";
import { backoffMs } from "../src/backoff.ts";
import { openvpnLineKind } from "../src/openvpn.ts";
import { classifyProfileAnswer } from "../src/profile.ts";
import { classifyReportAnswer, deliveryLogLine, servicesKey } from "../src/report-rules.ts";

const BRIDGE = "http://10.0.0.1:9000";

describe("the profile's answer", () => {
  it("a refused token ends the agent; an unreachable or failing bridge is retried", () => {
    expect(classifyProfileAnswer({ status: 401, body: '{"error":{"code":"token","message":"unknown token"}}' }, BRIDGE)).toEqual({
      kind: "refused",
      reason: 'the bridge refused the token (HTTP 401: {"error":{"code":"token","message":"unknown token"}})',
    });
    expect(classifyProfileAnswer({ status: 403, body: "" }, BRIDGE).kind).toBe("refused");
    expect(classifyProfileAnswer({ error: "ECONNREFUSED" }, BRIDGE)).toEqual({ kind: "retry", reason: "bridge unreachable at http://10.0.0.1:9000 (ECONNREFUSED)" });
    expect(classifyProfileAnswer({ status: 502, body: "Bad Gateway" }, BRIDGE)).toEqual({ kind: "retry", reason: "the bridge answered HTTP 502: Bad Gateway" });
    expect(classifyProfileAnswer({ status: 200, body: "<html>" }, BRIDGE)).toEqual({ kind: "retry", reason: "the bridge's profile is not JSON" });
    expect(classifyProfileAnswer({ status: 200, body: '{"ovpn":"client"}' }, BRIDGE).kind).toBe("retry");
  });

  it("reads a profile", () => {
    const profile = { ovpn: "client\ndev tun\n", reportUrl: "http://172.16.0.1:9001/v1/report" };
    expect(classifyProfileAnswer({ status: 200, body: JSON.stringify(profile) }, BRIDGE)).toEqual({ kind: "ok", profile });
  });
});

describe("a report's answer", () => {
  it("carries the board's command, or none", () => {
    expect(classifyReportAnswer({ status: 200, body: '{"command":null}' })).toEqual({ kind: "delivered", command: null });
    expect(classifyReportAnswer({ status: 200, body: '{"command":"restart"}' })).toEqual({ kind: "delivered", command: "restart" });
    expect(classifyReportAnswer({ status: 204, body: "" })).toEqual({ kind: "delivered", command: null });
  });

  it("a refusal is told apart from a failure; an unknown command is a failure, not obeyed", () => {
    expect(classifyReportAnswer({ status: 401, body: "" })).toEqual({ kind: "refused", reason: "HTTP 401" });
    expect(classifyReportAnswer({ status: 500, body: "" })).toEqual({ kind: "failed", reason: "HTTP 500" });
    expect(classifyReportAnswer({ error: "timeout after 4000 ms" })).toEqual({ kind: "failed", reason: "timeout after 4000 ms" });
    expect(classifyReportAnswer({ status: 200, body: '{"command":"rm -rf"}' })).toEqual({ kind: "failed", reason: "the answer is malformed" });
  });
});

describe("the report loop's decisions", () => {
  it("a service list's key ignores order", () => {
    const a = { name: "jupyter", port: 8888, protocol: "http" as const };
    const b = { name: "web", port: 8000, protocol: "http" as const };
    expect(servicesKey([a, b])).toBe(servicesKey([b, a]));
    expect(servicesKey([a])).not.toBe(servicesKey([a, b]));
    expect(servicesKey([])).toBe("");
  });

  it("logs the first delivery, a new failure once, and the recovery", () => {
    const delivered = { kind: "delivered", command: null } as const;
    const failed = { kind: "failed", reason: "ECONNREFUSED" } as const;
    expect(deliveryLogLine(null, delivered, true)).toBe("first report delivered");
    expect(deliveryLogLine(null, delivered, false)).toBeNull();
    expect(deliveryLogLine(null, failed, false)).toBe("report not delivered (ECONNREFUSED); retrying with the next beat");
    expect(deliveryLogLine("ECONNREFUSED", failed, false)).toBeNull();
    expect(deliveryLogLine("ECONNREFUSED", delivered, false)).toBe("reports are delivered again");
  });

  it("backs off 1, 2, 4 … seconds up to 30", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => backoffMs(attempt))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it("picks OpenVPN's lines worth showing", () => {
    expect(openvpnLineKind("2026-01-01 10:00:00 Initialization Sequence Completed")).toBe("up");
    expect(openvpnLineKind("2026-01-01 10:00:00 AUTH: Received control message: AUTH_FAILED")).toBe("auth-failed");
    expect(openvpnLineKind("2026-01-01 10:00:00 TLS Error: TLS key negotiation failed to occur within 60 seconds")).toBe("notable");
    expect(openvpnLineKind("2026-01-01 10:00:00 net_route_v4_best_gw query: dst 0.0.0.0")).toBeNull();
  });
});
