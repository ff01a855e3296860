/**
 * `/gw/{org}/…` beyond the events and the event log (gateway-events.ts): the project socket
 * and the gateway's status. Nothing reaches an organization's GatewayDO before the worker
 * has checked who is asking: a socket's gateway token is verified here, and a refused
 * socket is refused here, so an outsider can neither create a Durable Object (and its
 * SQLite file) for any id nor make one do work. Any other path under `/gw` is a 404 here.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { getServerByName } from "partyserver";
import { PRINCIPAL_HEADER, parseSocketPath, verifyGatewayToken } from "../../../gateway-do/src/auth";
import { CloseCode } from "../../../protocol/socket";
import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Context } from "hono";
import { organizations, organizationsVpnBridges } from "../../../drizzle/schema";
import { requireBridge } from "../containers/bridge-key";
import { API_KEY_PREFIX, authenticate, requireAuth } from "../auth/middleware";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { fileRouteLimit, readFileBody } from "../lib/module-files";
import { registerImageRoutes } from "./images-openapi";
import { ErrorSchema, createApp, defineRoute, jsonResponse } from "../lib/openapi";
import { requireOrgMember } from "../orgs/membership";

const OrgParams = z.object({
  org: z.uuid().openapi({ param: { name: "org", in: "path" }, description: "Organization id." }),
});

const pingRoute = defineRoute({
  method: "get",
  path: "/{org}/ping",
  operationId: "pingGateway",
  access: "sessionOrApiKey",
  tags: ["gateway"],
  summary: "The organization's gateway: is it up, and how many sockets it holds (org members)",
  request: { params: OrgParams },
  responses: {
    200: jsonResponse(
      z.object({ pong: z.literal(true), org: z.uuid(), connections: z.number().int() }).openapi("GatewayPing"),
      "The gateway answers with the number of WebSocket connections it holds.",
    ),
    404: jsonResponse(ErrorSchema, "No such organization, or you are not a member of it."),
  },
});

export const gateway = createApp().openapi(pingRoute, async (c) => {
  const auth = requireAuth(c, "orgs:read");
  const { org } = c.req.valid("param");
  await requireOrgMember(c.var.db(), org, auth.user.id);
  const status = await (await getServerByName(c.env.GATEWAY, org)).status();
  return c.json({ pong: true as const, org: status.org, connections: status.connections }, 200);
});

gateway.openAPIRegistry.registerPath(
  createRoute({
    method: "get",
    path: "/{org}/projects/{project}/ws",
    operationId: "openProjectSocket",
    tags: ["gateway"],
    summary: "Open a project on the organization's gateway (WebSocket)",
    description:
      "Send `Upgrade: websocket` with `?token=` from `POST /api/orgs/{org}/projects/{project}/connect`, and `json=1` to receive " +
      "the gateway's JSON messages (acks, notices); without it the socket speaks the Yjs protocols only, as a stock y-websocket client expects. " +
      "A missing, invalid or expired token is closed with 4001; a user without access (or who loses it) with 4003.",
    security: [],
    request: {
      params: OrgParams.extend({ project: z.uuid().openapi({ param: { name: "project", in: "path" }, description: "Project id." }) }),
      query: z.object({
        token: z.string().openapi({ param: { name: "token", in: "query" }, description: "The gateway token." }),
        json: z.enum(["1"]).optional().openapi({ param: { name: "json", in: "query" }, description: "`1`: also send JSON text frames." }),
      }),
    },
    responses: {
      101: { description: "Switching to the WebSocket protocol." },
      404: jsonResponse(ErrorSchema, "Not a project socket path."),
      426: jsonResponse(ErrorSchema, "Not a WebSocket upgrade."),
    },
  }),
);

/** Accepts the socket only to close it with a code and reason a browser can read; no gateway is involved. */
function refuseSocket(code: number, reason: string): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.close(code, reason);
  return new Response(null, { status: 101, webSocket: client });
}

gateway.get("/:org/projects/:project/ws", async (c) => {
  const url = new URL(c.req.url);
  const path = parseSocketPath(url.pathname);
  if (!path) throw new ApiError(404, "not_found", "Connect to /gw/{org}/projects/{project}/ws?token=… with ids of an organization and a project.");
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new ApiError(426, "upgrade_required", "This is a WebSocket endpoint: send Upgrade: websocket.");
  const check = await verifyGatewayToken(url.searchParams.get("token"), c.env.JWT_PRIVATE_KEY, path);
  if (!check.ok) return refuseSocket(CloseCode.Unauthenticated, check.reason);
  // What partyserver reads from a request is the gateway's to set, never a client's.
  url.searchParams.delete("_pk");
  const headers = new Headers(c.req.raw.headers);
  for (const name of [...headers.keys()]) if (name.startsWith("x-partykit-")) headers.delete(name);
  headers.delete(PRINCIPAL_HEADER);
  const stub = await getServerByName(c.env.GATEWAY, path.org);
  return stub.fetch(new Request(url, { headers }));
});

/**
 * Who calls a module's route: a member (a session, or an API key) as the other API routes
 * authenticate them; any other bearer is left for the module to check (a container's token).
 */
export const moduleCaller = createMiddleware<AppEnv>(async (c, next) => {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (bearer && !bearer.startsWith(API_KEY_PREFIX)) return next();
  return authenticate(c, next);
});

const MODULE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** What a module's route answered (over RPC: read, not trusted): JSON, or a file's bytes with its headers. */
const ModuleAnswerSchema = z.object({
  status: z.number().int().min(100).max(599),
  body: z.unknown(),
  bytes: z.instanceof(Uint8Array).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/**
 * `/gw/{org}/m/{module}/…`: a module's routes (gateway-do's ModuleHost answers them). A
 * member is checked against Postgres here and again by the gateway; a bearer the module
 * checks itself reaches the gateway only once the organization is known to exist.
 */
gateway.all("/:org/m/:module/*", async (c) => {
  const org = c.req.param("org");
  const module = c.req.param("module");
  if (!z.uuid().safeParse(org).success || !MODULE_NAME.test(module)) throw new ApiError(404, "not_found", "No such module endpoint.");
  if (c.req.header("upgrade")?.toLowerCase() === "websocket") return moduleSocket(c, org);
  const path = new URL(c.req.url).pathname.slice(`/gw/${org}/m/${module}`.length) || "/";
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? null;
  const db = c.var.db();
  let member: string | null = null;
  if (c.var.auth) {
    const auth = requireAuth(c, c.req.method === "GET" ? "projects:read" : "projects:write");
    await requireOrgMember(db, org, auth.user.id);
    member = auth.user.id;
  } else if (bearer) {
    const [known] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, org)).limit(1);
    if (!known) throw new ApiError(404, "not_found", "No such organization.");
  } else {
    throw new ApiError(401, "unauthenticated", "Sign in, or send the bearer token this endpoint takes.");
  }
  const fileLimit = fileRouteLimit(c.req.method, new URL(c.req.url).pathname);
  const bytes = fileLimit !== null ? await readFileBody(c.req.raw, fileLimit) : null;
  const body: unknown = c.req.method === "GET" || c.req.method === "HEAD" || bytes ? null : await c.req.json().catch(() => null);
  const query = Object.fromEntries(new URL(c.req.url).searchParams);
  const stub = await getServerByName(c.env.GATEWAY, org);
  const answer = ModuleAnswerSchema.parse(await stub.moduleRequest({ module, method: c.req.method, path, query, body, bytes, member, bearer: member ? null : bearer }));
  // A file the module serves, with the headers it chose (its type, nosniff, a CSP).
  if (answer.bytes) return new Response(answer.bytes, { status: answer.status, headers: answer.headers });
  return c.json(answer.body, answer.status as ContentfulStatusCode);
});

registerImageRoutes(gateway.openAPIRegistry);

/**
 * A module's socket: only the VPN bridge opens one (its key checked here), for an org pinned
 * to it. The gateway learns who it is from a header the worker sets and no client can.
 */
async function moduleSocket(c: Context<AppEnv>, org: string): Promise<Response> {
  requireBridge(c);
  const [pinned] = await c.var
    .db()
    .select({ bridgeId: organizationsVpnBridges.bridgeId })
    .from(organizationsVpnBridges)
    .where(eq(organizationsVpnBridges.orgId, org))
    .limit(1);
  if (!pinned) throw new ApiError(404, "not_found", "This organization has no containers on this bridge.");
  const url = new URL(c.req.url);
  url.searchParams.delete("_pk");
  const headers = new Headers(c.req.raw.headers);
  for (const name of [...headers.keys()]) if (name.startsWith("x-partykit-")) headers.delete(name);
  headers.set(PRINCIPAL_HEADER, `bridge:${pinned.bridgeId}`);
  const stub = await getServerByName(c.env.GATEWAY, org);
  return stub.fetch(new Request(url, { headers }));
}

gateway.all("/*", () => {
  throw new ApiError(404, "not_found", "The gateway has no such endpoint.");
});
