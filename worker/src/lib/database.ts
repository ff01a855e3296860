/** Middleware giving each request a lazily opened database, closed once the response is made. */
import { createMiddleware } from "hono/factory";
import { createDatabase, type DatabaseHandle } from "../../../drizzle/client";
import type { AppEnv } from "../env";

export const database = createMiddleware<AppEnv>(async (c, next) => {
  let handle: DatabaseHandle | undefined;
  c.set("db", () => {
    handle ??= createDatabase({ databaseUrl: c.env.DATABASE_URL, wsProxy: c.env.DB_WS_PROXY });
    return handle.db;
  });
  try {
    await next();
  } finally {
    if (handle) {
      const closing = handle.close().catch((error: unknown) => console.warn("closing the database failed:", error));
      try {
        c.executionCtx.waitUntil(closing); // finish after the response is sent
      } catch {
        await closing; // no execution context, as in app.request() tests
      }
    }
  }
});
