/**
 * Middleware giving each request a lazily opened database, closed once the response is made
 * and the work handed to `afterResponse` is done.
 */
import { createMiddleware } from "hono/factory";
import { createDatabase, type DatabaseHandle } from "../../../drizzle/client";
import type { AppEnv } from "../env";

export const database = createMiddleware<AppEnv>(async (c, next) => {
  let handle: DatabaseHandle | undefined;
  const later: { name: string; task: () => Promise<void> }[] = [];
  c.set("db", () => {
    handle ??= createDatabase({ databaseUrl: c.env.DATABASE_URL, wsProxy: c.env.DB_WS_PROXY });
    return handle.db;
  });
  c.set("afterResponse", (name, task) => void later.push({ name, task }));
  try {
    await next();
  } finally {
    // A failed request drops its follow-up work (the handler queued it for a success).
    const tasks = c.error ? [] : later;
    const run = async () => {
      await Promise.all(
        tasks.map(({ name, task }) =>
          task().catch((error: unknown) => {
            console.error(JSON.stringify({ level: "error", requestId: c.var.requestId, msg: `${name} failed after the response`, error: String(error), stack: error instanceof Error ? error.stack : undefined }));
          }),
        ),
      );
      await handle?.close().catch((error: unknown) => console.warn("closing the database failed:", error));
    };
    const finishing = run();
    try {
      c.executionCtx.waitUntil(finishing); // finish after the response is sent
    } catch {
      await finishing; // no execution context, as in app.request() tests
    }
  }
});
