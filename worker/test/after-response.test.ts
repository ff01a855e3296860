/** `c.var.afterResponse`: work that must not show in a response (its timing included) runs after it, on a database still open. */
import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../src/env";
import { database } from "../src/lib/database";
import { ApiError, onError } from "../src/lib/errors";

/** An execution context that keeps what is handed to waitUntil, to await it when the test says. */
function executionContext() {
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  return { ctx, settled: () => Promise.all(pending) };
}

describe("afterResponse", () => {
  it("answers before the queued work runs, and the work still has the request's database", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let result: unknown;
    const app = new Hono<AppEnv>().use(requestId()).use(database);
    app.get("/", (c) => {
      c.var.afterResponse("test work", async () => {
        await gate;
        result = (await c.var.db().execute(sql`select 41 + 1 as answer`)).rows[0];
      });
      return c.text("answered");
    });
    const { ctx, settled } = executionContext();
    const res = await app.request("/", {}, env, ctx);
    expect(await res.text()).toBe("answered");
    expect(result).toBeUndefined();
    release();
    await settled();
    expect(result).toEqual({ answer: 42 });
  });

  it("logs a failed task with the request id, and drops the work of a request that failed", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    let ran = false;
    const app = new Hono<AppEnv>().use(requestId()).use(database);
    app.get("/fails-later", (c) => {
      c.var.afterResponse("doomed work", () => Promise.reject(new Error("mail server down")));
      return c.text("ok");
    });
    app.get("/fails-now", (c) => {
      c.var.afterResponse("never", async () => void (ran = true));
      throw new ApiError(400, "bad", "No.");
    });
    app.onError(onError);
    const later = executionContext();
    const ok = await app.request("/fails-later", { headers: { "x-request-id": "req-later" } }, env, later.ctx);
    expect(ok.status).toBe(200);
    await later.settled();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/"requestId":"req-later".*doomed work failed after the response.*mail server down/));
    const now = executionContext();
    expect((await app.request("/fails-now", {}, env, now.ctx)).status).toBe(400);
    await now.settled();
    expect(ran).toBe(false);
    log.mockRestore();
  });
});
