import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../src/app";

describe("GET /api/health", () => {
  it("reports the database reachable, with its latency", async () => {
    const res = await SELF.fetch("http://kiln.test/api/health");
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; database: { reachable: boolean; latencyMs: number } }>();
    expect(body.status).toBe("ok");
    expect(body.database.reachable).toBe(true);
    // A measured time: a number within the request's own life (missing or NaN fails).
    expect(body.database.latencyMs).toBeTypeOf("number");
    expect(Number.isFinite(body.database.latencyMs) && body.database.latencyMs >= 0 && body.database.latencyMs < 30_000).toBe(true);
  });

  it("answers 503 when the database cannot be reached, without leaking the cause", async () => {
    const res = await app.request("/api/health", {}, { ...env, DB_WS_PROXY: "127.0.0.1:9" });
    expect(res.status).toBe(503);
    const body = await res.json<{ status: string; database: { reachable: boolean; error: string } }>();
    expect(body.status).toBe("degraded");
    expect(body.database.reachable).toBe(false);
    expect(body.database.error).toContain(res.headers.get("x-request-id"));
    expect(body.database.error).not.toContain("127.0.0.1");
  });
});
