/** `GET /api/health`: is the worker up, and can it reach its database? */
import { sql } from "drizzle-orm";
import { HealthSchema } from "../../../protocol/api/health";
import { createApp, defineRoute, jsonResponse } from "../lib/openapi";


const route = defineRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  access: "public",
  tags: ["health"],
  summary: "Report whether the API and its database are up",
  responses: {
    200: jsonResponse(HealthSchema, "The API and its database are up."),
    503: jsonResponse(HealthSchema, "The database cannot be reached."),
  },
});

export const health = createApp().openapi(route, async (c) => {
  const started = performance.now();
  const time = new Date().toISOString();
  try {
    await c.var.db().execute(sql`select 1`);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return c.json({ status: "ok" as const, database: { reachable: true, latencyMs }, time }, 200);
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    console.error(JSON.stringify({ level: "error", requestId: c.var.requestId, msg: "database unreachable", error: String(error) }));
    // The cause stays in the log: it can name hosts and users.
    const message = `The database cannot be reached; the worker log has the cause under request id ${c.var.requestId}.`;
    return c.json({ status: "degraded" as const, database: { reachable: false, latencyMs, error: message }, time }, 503);
  }
});
