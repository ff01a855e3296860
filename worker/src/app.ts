/** The worker's Hono app: middleware, the resource sub-apps, the OpenAPI document. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { requestId } from "hono/request-id";
import { PatternRouter } from "hono/router/pattern-router";
import { authenticate } from "./auth/middleware";
import type { AppEnv } from "./env";
import { database } from "./lib/database";
import { onError, onNotFound } from "./lib/errors";
import { requireSameOrigin, strictCors } from "./lib/origin";
import { declareSharedResponses } from "./lib/openapi";
import { unlessFileRoute } from "./lib/module-files";
import { limitBody, requireJson } from "./lib/request-guards";
import { accountApiKeys } from "./routes/account-api-keys";
import { accountPassword } from "./routes/account-password";
import { accountSessions } from "./routes/account-sessions";
import { accountTotp } from "./routes/account-totp";
import { auth } from "./routes/auth";
import { authEmail } from "./routes/auth-email";
import { authMagicLink } from "./routes/auth-magic-link";
import { authPasswordReset } from "./routes/auth-password-reset";
import { authTotp } from "./routes/auth-totp";
import { auditLogRoutes } from "./routes/audit-log";
import { connect } from "./routes/connect";
import { containerSettingsRoutes } from "./routes/container-settings";
import { containerRoutes } from "./routes/containers";
import { devMailbox } from "./routes/dev-mailbox";
import { docs } from "./routes/docs";
import { gateway, moduleCaller } from "./routes/gateway";
import { gatewayEvents } from "./routes/gateway-events";
import { health } from "./routes/health";
import { invitationRoutes } from "./routes/invitations";
import { jwks } from "./routes/jwks";
import { me } from "./routes/me";
import { oauth } from "./routes/oauth";
import { oidc } from "./routes/oidc";
import { orgMembers } from "./routes/org-members";
import { orgs } from "./routes/orgs";
import { projectMembers } from "./routes/project-members";
import { projectRoutes } from "./routes/projects";
import { userRoutes } from "./routes/users";

export const app = new OpenAPIHono<AppEnv>();

app.use(requestId());
const apiGuards = [database, strictCors, requireSameOrigin, limitBody, requireJson, authenticate] as const;
// The gateway's HTTP endpoints are authenticated here; its socket checks its own token (routes/gateway.ts).
// The document declares what the guards answer (401, 403, 413, 415) on the operations they cover.
const guardedPaths = new PatternRouter<true>();
for (const path of ["/api/*", "/gw/:org/projects/:project/events", "/gw/:org/event-log", "/gw/:org/ping"]) {
  app.use(path, ...apiGuards);
  guardedPaths.add("ALL", path, true);
}

// A module's routes: the same guards, but a bearer that is not an API key is the module's to check.
// A module route taking a file (an image) reads its own raw body, to its own limit (lib/module-files.ts).
app.use("/gw/:org/m/*", database, strictCors, requireSameOrigin, unlessFileRoute(limitBody), unlessFileRoute(requireJson), moduleCaller);

app.route("/api", health);
app.route("/api/auth", auth);
app.route("/api/auth", oauth);
app.route("/api/auth", authEmail);
app.route("/api/auth", authPasswordReset);
app.route("/api/auth", authMagicLink);
app.route("/api/auth", authTotp);
app.route("/api/account", accountSessions);
app.route("/api/account", accountPassword);
app.route("/api/account", accountTotp);
app.route("/api/account", accountApiKeys);
app.route("/api", me);
app.route("/api", orgs);
app.route("/api", orgMembers);
app.route("/api", invitationRoutes);
app.route("/api", projectRoutes);
app.route("/api", projectMembers);
app.route("/api", connect);
app.route("/api", containerRoutes);
app.route("/api", containerSettingsRoutes);
app.route("/api", userRoutes);
app.route("/api", auditLogRoutes);
app.route("/api/docs", docs);
app.route("/api/dev/mailbox", devMailbox);
app.route("/gw", gatewayEvents);
app.route("/gw", gateway);
app.route("/.well-known", jwks);
app.route("/oidc", oidc);

app.openAPIRegistry.registerComponent("securitySchemes", "session", { type: "apiKey", in: "cookie", name: "__Host-kiln_session" });
app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "http", scheme: "bearer", description: "An API key, `kiln_…`" });

const documentConfig: Parameters<typeof app.getOpenAPI31Document>[0] = {
  openapi: "3.1.0",
  info: {
    title: "Kiln API",
    version: "0.1.0",
    description: "Accounts, organizations, projects and the gateways of Kiln's collaborative whiteboard.",
  },
  security: [{ session: [] }, { apiKey: [] }],
};

/** Whether requests to an operation's path pass the API guards, matched as Hono matches `app.use`. */
const isGuarded = (openApiPath: string) => guardedPaths.match("GET", openApiPath.replace(/\{[^}]+\}/g, "x"))[0].length > 0;

let apiDocument: ReturnType<typeof app.getOpenAPI31Document> | undefined;
app.get("/api/openapi.json", (c) => c.json((apiDocument ??= declareSharedResponses(app.getOpenAPI31Document(documentConfig), isGuarded))));

app.onError(onError);
app.notFound(onNotFound);
