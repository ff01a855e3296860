/** `POST /api/orgs/{org}/projects/{project}/connect`: a short-lived token and the URL to open the project's gateway socket. */
import type { Context } from "hono";
import { requireAuth } from "../auth/middleware";
import type { AppEnv } from "../env";
import { pushMembership } from "../gateway/membership-push";
import { signGatewayToken } from "../gateway/token";
import { GatewayTicketSchema as ConnectSchema } from "../../../protocol/api/orgs";
import { ErrorSchema, createApp, defineRoute, jsonResponse } from "../lib/openapi";
import { requireVisibleProject } from "../orgs/membership";
import { ProjectParams } from "../orgs/schemas";


const connectRoute = defineRoute({
  method: "post",
  path: "/orgs/{org}/projects/{project}/connect",
  operationId: "connectToProject",
  access: "sessionOrApiKey",
  tags: ["gateway"],
  summary: "Get a 5-minute token to open a project on the org's gateway",
  description: "Needs the `gateway:connect` scope for API keys.",
  request: { params: ProjectParams },
  responses: { 200: jsonResponse(ConnectSchema, "Open `url?token=…` as a WebSocket before `expiresAt`."), 404: jsonResponse(ErrorSchema, "No such organization or project, or you may not see it.") },
});

/** The app's public origin: APP_URL, else the request's own. */
function appOrigin(c: Context<AppEnv>): URL {
  return new URL(c.env.APP_URL || new URL(c.req.url).origin);
}

export const connect = createApp().openapi(connectRoute, async (c) => {
  const auth = requireAuth(c, "gateway:connect");
  const { org, project } = c.req.valid("param");
  const origin = appOrigin(c);
  const place = await requireVisibleProject(c.var.db(), org, project, auth.user.id);
  // The gateway admits only whom its own copy of the membership names: make sure it has one.
  await pushMembership(c, org);
  const { token, expiresAt } = await signGatewayToken(c.env.JWT_PRIVATE_KEY, {
    sub: auth.user.id,
    org,
    project,
    name: auth.user.name,
  });
  const ws = origin.protocol === "https:" ? "wss:" : "ws:";
  return c.json({ url: `${ws}//${origin.host}/gw/${org}/projects/${project}/ws`, token, expiresAt: expiresAt.toISOString() }, 200);
});
