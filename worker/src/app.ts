/** The worker's Hono app: middleware, the resource sub-apps, the OpenAPI document. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./env";
import { database } from "./lib/database";
import { onError, onNotFound } from "./lib/errors";
import { docs } from "./routes/docs";
import { gateway } from "./routes/gateway";
import { health } from "./routes/health";

export const app = new OpenAPIHono<AppEnv>();

app.use(requestId());
app.use("/api/*", database);

app.route("/api", health);
app.route("/api/docs", docs);
app.route("/gw", gateway);

app.doc31("/api/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "Kiln API",
    version: "0.1.0",
    description: "Accounts, organizations, projects and the gateways of Kiln's collaborative whiteboard.",
  },
});

app.onError(onError);
app.notFound(onNotFound);
