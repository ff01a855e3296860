import { SELF } from "cloudflare:test";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../src/env";
import { ApiError, onError } from "../src/lib/errors";
import { withDatabase } from "./helpers";

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string[]> };
}

describe("errors and request ids", () => {
  it("answers an unknown route with a JSON 404 and a request id", async () => {
    const res = await SELF.fetch("http://kiln.test/api/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const body = await res.json<ErrorBody>();
    expect(body.error).toEqual({ code: "not_found", message: "No route for GET /api/nope." });
  });

  it("keeps the caller's request id", async () => {
    const res = await SELF.fetch("http://kiln.test/api/health", { headers: { "x-request-id": "trace-123" } });
    expect(res.headers.get("x-request-id")).toBe("trace-123");
  });

  it("turns ApiError into its status, code and message, with headers kept", async () => {
    const app = new Hono<AppEnv>().use(requestId());
    app.get("/limited", () => {
      throw new ApiError(429, "rate_limited", "Too many attempts; try again in 30 seconds.", undefined, { "retry-after": "30" });
    });
    app.onError(onError);
    const res = await app.request("/limited");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(await res.json<ErrorBody>()).toEqual({ error: { code: "rate_limited", message: "Too many attempts; try again in 30 seconds." } });
  });

  it("hides a crash behind a 500 that quotes the request id, and logs it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = new Hono<AppEnv>().use(requestId());
    app.get("/boom", () => {
      throw new Error("secret internals");
    });
    app.onError(onError);
    const res = await app.request("/boom", { headers: { "x-request-id": "req-42" } });
    expect(res.status).toBe(500);
    const body = await res.json<ErrorBody>();
    expect(body.error.code).toBe("internal");
    expect(body.error.message).toContain("req-42");
    expect(body.error.message).not.toContain("secret internals");
    expect(log).toHaveBeenCalledWith(expect.stringContaining("req-42"));
    log.mockRestore();
  });

  it("logs the database's own message under a failed query, and keeps it out of the response", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = new Hono<AppEnv>().use(requestId());
    // Postgres refuses a NUL in text: drizzle wraps its error in "Failed query", with the cause underneath.
    app.get("/query", () => withDatabase((db) => db.execute(sql`select ${"a\u0000b"}::text as t`)).then(() => new Response("stored")));
    app.onError(onError);
    const res = await app.request("/query", { headers: { "x-request-id": "req-db" } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toContain("req-db");
    expect(text).not.toMatch(/Failed query|0x00|UTF8/i);
    const line = log.mock.calls.map(([first]) => String(first)).find((l) => l.includes("req-db"));
    expect(line).toBeDefined();
    const entry = JSON.parse(line!) as { error: string; causes: { message: string; code?: string }[] };
    expect(entry.error).toContain("Failed query");
    // The database's words: "invalid byte sequence for encoding "UTF8": 0x00" (SQLSTATE 22021).
    expect(entry.causes).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/0x00/) }));
    log.mockRestore();
  });
});
