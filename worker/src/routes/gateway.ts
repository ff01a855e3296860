/** `/gw/{orgId}/…`: forwards HTTP and WebSocket requests to the organization's GatewayDO. */
import { createRoute, z } from "@hono/zod-openapi";
import { getServerByName } from "partyserver";
import { validationError } from "../lib/errors";
import { ErrorSchema, createApp, jsonResponse } from "../lib/openapi";

const OrgParams = z.object({
  orgId: z.uuid().openapi({ param: { name: "orgId", in: "path" }, description: "Organization id." }),
});

export const gateway = createApp();

// Forwarding takes any path below the org, so the route is plain Hono; the document
// describes the gateway's endpoints.
gateway.openAPIRegistry.registerPath(
  createRoute({
    method: "get",
    path: "/{orgId}/ping",
    operationId: "pingGateway",
    tags: ["gateway"],
    summary: "Ping the organization's gateway",
    security: [],
    request: { params: OrgParams },
    responses: {
      200: jsonResponse(
        z.object({ pong: z.literal(true), org: z.string(), connections: z.number().int() }).openapi("GatewayPing"),
        "The gateway answers with the number of WebSocket connections it holds.",
      ),
      400: jsonResponse(ErrorSchema, "The organization id is not a UUID."),
    },
  }),
);

gateway.openAPIRegistry.registerPath(
  createRoute({
    method: "get",
    path: "/{orgId}/projects/{project}/ws",
    operationId: "openProjectSocket",
    tags: ["gateway"],
    summary: "Open a project on the organization's gateway (WebSocket)",
    description:
      "Send `Upgrade: websocket` with `?token=` from `POST /api/orgs/{org}/projects/{project}/connect`. " +
      "A missing, invalid or expired token is closed with 4001; a user without access (or who loses it) with 4003.",
    security: [],
    request: {
      params: OrgParams.extend({ project: z.uuid().openapi({ param: { name: "project", in: "path" }, description: "Project id." }) }),
      query: z.object({ token: z.string().openapi({ param: { name: "token", in: "query" }, description: "The gateway token." }) }),
    },
    responses: {
      101: { description: "Switching to the WebSocket protocol." },
      404: jsonResponse(ErrorSchema, "Not a project socket path."),
    },
  }),
);

gateway.all("/:orgId/*", async (c) => {
  const params = OrgParams.safeParse({ orgId: c.req.param("orgId") });
  if (!params.success) throw validationError(params.error, "path");
  const stub = await getServerByName(c.env.GATEWAY, params.data.orgId);
  return stub.fetch(c.req.raw);
});
