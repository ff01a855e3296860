/**
 * User containers, the worker's part: create one (pinning the org's VPN bridge, and composing
 * the `docker run` a person copies), a new launch command, the image catalog, the visitor's
 * way in (session here, permission in the gateway, then a ticket for the bridge), and the
 * bridge's list of organizations. The gateway's user-containers module keeps the containers.
 */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { getServerByName } from "partyserver";
import { organizationsVpnBridges, vpnBridges } from "../../../drizzle/schema";
import { errorStatuses } from "../../../gateway-do/src/events/pipeline";
import { modules } from "../../../gateway-do/src/modules/registry";
import { CATALOG } from "../../../gateway-do/src/modules/user-containers/catalog";
import { CreateContainerSchema } from "../../../gateway-do/src/modules/user-containers";
import {
  AGENT_ENV,
  ContainerIdSchema,
  ContainerRecordSchema,
  formatContainerHost,
  parseContainerHost,
} from "../../../protocol/containers";
import { EventAckSchema } from "../../../protocol/events";
import { BridgeOrgsSchema, ContainerCatalogSchema, ContainerCreatedSchema, ContainerLaunchSchema, ContainerStatusSchema } from "../../../protocol/api/containers";
import { requireAuth } from "../auth/middleware";
import { bridgeKey, requireBridge, signVisitorTicket } from "../containers/bridge-key";
import type { AppEnv } from "../env";
import { ensureBridgeAllocation } from "../gateway/allocation";
import { pushMembership } from "../gateway/membership-push";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { requireOrgMember, requireVisibleProject } from "../orgs/membership";
import { OrgParams, ProjectParams } from "../orgs/schemas";

const STATUS = errorStatuses(modules);

/** Where container hosts live (`containers.example.com`, or `containers.localhost:8080` locally), or a 503. */
function containerDomain(c: Context<AppEnv>): string {
  const domain = c.env.CONTAINER_DOMAIN;
  if (!domain) throw new ApiError(503, "containers_unavailable", "This Kiln has no container domain configured (CONTAINER_DOMAIN), so containers cannot run.");
  return domain.toLowerCase();
}

const scheme = (c: Context<AppEnv>) => (c.env.CONTAINER_SCHEME === "http" ? "http" : "https");

/** The command a person copies to start the container on their machine. */
export function launchCommand(input: { container: string; token: string; image: string; bridgeUrl: string }): string {
  return [
    "docker run -d",
    `--name kiln-${input.container}`,
    "--restart unless-stopped",
    "--cap-add=NET_ADMIN --device /dev/net/tun",
    `-e ${AGENT_ENV.container}=${input.container}`,
    `-e ${AGENT_ENV.token}=${input.token}`,
    `-e ${AGENT_ENV.bridge}=${input.bridgeUrl}`,
    input.image,
  ].join(" ");
}

function bridgeUrl(c: Context<AppEnv>): string {
  const url = c.env.BRIDGE_PUBLIC_URL;
  if (!url) throw new ApiError(503, "containers_unavailable", "This Kiln has no VPN bridge address configured (BRIDGE_PUBLIC_URL), so containers cannot join.");
  return url.replace(/\/+$/, "");
}

/** Runs a user-containers event as the member, answering its refusal as the API does. */
async function containerEvent(c: Context<AppEnv>, org: string, project: string, userId: string, event: Record<string, unknown>): Promise<unknown> {
  const gateway = await getServerByName(c.env.GATEWAY, org);
  let ack = EventAckSchema.parse(await gateway.applyEvent(project, userId, event));
  if (!ack.ok && ack.error.code === "forbidden" && ack.requestId === null && (await pushMembership(c, org))) ack = EventAckSchema.parse(await gateway.applyEvent(project, userId, event));
  if (ack.ok) return ack.result;
  throw new ApiError((STATUS.get(ack.error.code) ?? 400) as ContentfulStatusCode, ack.error.code, ack.error.message, ack.error.fields);
}

/** What a module's route answered (over RPC: read, not trusted). */
const RouteAnswerSchema = z.object({ status: z.number().int(), body: z.unknown() });

/** Asks the org gateway's user-containers module a route, as `member`. */
export async function askModule(c: Context<AppEnv>, org: string, input: { method: string; path: string; query?: Record<string, string>; body?: unknown; member: string }) {
  const gateway = await getServerByName(c.env.GATEWAY, org);
  return RouteAnswerSchema.parse(await gateway.moduleRequest({ module: "user-containers", query: {}, body: null, bearer: null, ...input }));
}

/** What the gateway's create event answers its sender. */
const Created = z.object({ container: ContainerRecordSchema, token: z.string() });

const createRoute = defineRoute({
  method: "post",
  path: "/orgs/{org}/projects/{project}/containers",
  operationId: "createContainer",
  access: "sessionOrApiKey",
  tags: ["containers"],
  summary: "Create a user container on the project's board; returns its token (shown once) and the `docker run` command",
  request: { params: ProjectParams, body: jsonBody(CreateContainerSchema.openapi("ContainerCreate")) },
  responses: {
    201: jsonResponse(ContainerCreatedSchema, "The container, its token and the command to start it."),
    400: jsonResponse(ErrorSchema, "Invalid name, image or services (fields named)."),
    404: jsonResponse(ErrorSchema, "No such organization, project or view, or you may not see it."),
    503: jsonResponse(ErrorSchema, "Containers are not configured on this Kiln."),
  },
});

const launchRoute = defineRoute({
  method: "post",
  path: "/orgs/{org}/containers/{container}/launch",
  operationId: "renewContainerLaunch",
  access: "sessionOrApiKey",
  tags: ["containers"],
  summary: "A new token and `docker run` command for a container (the old token stops working)",
  request: { params: OrgParams.extend({ container: ContainerIdSchema.openapi({ param: { name: "container", in: "path" } }) }) },
  responses: { 200: jsonResponse(ContainerLaunchSchema, "The new token and command."), 404: jsonResponse(ErrorSchema, "No such container, or you may not see it.") },
});

const statusRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}/containers/{container}",
  operationId: "getContainer",
  access: "sessionOrApiKey",
  tags: ["containers"],
  summary: "A container's live state, address and services",
  request: { params: OrgParams.extend({ container: ContainerIdSchema.openapi({ param: { name: "container", in: "path" } }) }) },
  responses: { 200: jsonResponse(ContainerStatusSchema, "The container as the gateway knows it now."), 404: jsonResponse(ErrorSchema, "No such container, or you may not see its project.") },
});

const catalogRoute = defineRoute({
  method: "get",
  path: "/containers/catalog",
  operationId: "listContainerImages",
  access: "sessionOrApiKey",
  tags: ["containers"],
  summary: "The images Kiln ships, and where container hosts live",
  responses: {
    200: jsonResponse(ContainerCatalogSchema, "Images with their services and tags; `domain` is null when containers are not configured."),
  },
});

const openRoute = defineRoute({
  method: "get",
  path: "/containers/open",
  operationId: "openContainerService",
  access: "public",
  tags: ["containers"],
  summary: "The visitor's way into a container host: signs in if needed, checks access, then back to the host with a ticket",
  request: {
    query: z.object({
      host: z.string().max(300).openapi({ param: { name: "host", in: "query" }, description: "The container host, `uc-{id}[--{service}].org-{org}.{domain}`." }),
      path: z.string().max(4000).default("/").openapi({ param: { name: "path", in: "query" }, description: "Where to go on the host afterwards." }),
    }),
  },
  responses: {
    302: { description: "To sign in, or back to the container host with a ticket." },
    400: jsonResponse(ErrorSchema, "Not a container host of this Kiln."),
    403: jsonResponse(ErrorSchema, "You may not open this container."),
    404: jsonResponse(ErrorSchema, "No such container."),
  },
});

const bridgeOrgsRoute = defineRoute({
  method: "get",
  path: "/bridge/orgs",
  operationId: "listBridgeOrgs",
  access: "public",
  tags: ["containers"],
  summary: "The organizations pinned to this VPN bridge (the bridge's key as `Bearer kbr_…`)",
  responses: { 200: jsonResponse(BridgeOrgsSchema, "Org ids."), 401: jsonResponse(ErrorSchema, "Not the bridge's key.") },
});

/** A refusal a person reads in their browser (they followed a link), or JSON for anyone else. */
function refusal(c: Context<AppEnv>, error: ApiError): Response {
  if (!(c.req.header("accept") ?? "").includes("text/html")) throw error;
  const message = error.message.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return c.html(
    `<!doctype html><meta charset="utf-8"><title>Kiln · no access</title><body style="font:16px system-ui;margin:15vh auto;max-width:32rem;color:#1f2937"><h1 style="font-size:1.4rem">You can’t open this container</h1><p>${message}</p><p><a href="/">Back to Kiln</a></p></body>`,
    error.status as ContentfulStatusCode,
  );
}

export const containerRoutes = createApp()
  .openapi(createRoute, async (c) => {
    const auth = requireAuth(c, "projects:write");
    const { org, project } = c.req.valid("param");
    const body = c.req.valid("json");
    const db = c.var.db();
    await requireVisibleProject(db, org, project, auth.user.id);
    const domain = containerDomain(c);
    const bridge = bridgeUrl(c);
    const result = Created.parse(await containerEvent(c, org, project, auth.user.id, { type: "user-containers:create", requestId: `create-${crypto.randomUUID()}`, ...body }));
    await db.transaction(async (tx) => {
      const pinned = await ensureBridgeAllocation(tx, org, domain);
      if (pinned.allocated) await audit(c, tx, { orgId: org, action: "bridge.allocate", targetType: "vpn_bridge", targetId: pinned.bridgeId, data: { host: domain } });
      await audit(c, tx, { orgId: org, action: "container.create", targetType: "container", targetId: result.container.id, data: { name: result.container.name, image: result.container.image, project } });
    });
    const command = launchCommand({ container: result.container.id, token: result.token, image: result.container.image, bridgeUrl: bridge });
    return c.json({ container: result.container, token: result.token, command }, 201);
  })
  .openapi(launchRoute, async (c) => {
    const auth = requireAuth(c, "projects:write");
    const { org, container } = c.req.valid("param");
    await requireOrgMember(c.var.db(), org, auth.user.id);
    const bridge = bridgeUrl(c);
    const answer = await askModule(c, org, { method: "POST", path: "/launch", body: { container }, member: auth.user.id });
    const refused = ErrorSchema.safeParse(answer.body);
    if (answer.status !== 200) throw new ApiError(answer.status as ContentfulStatusCode, refused.data?.error.code ?? "refused", refused.data?.error.message ?? "The gateway refused.");
    const { token, image } = z.object({ token: z.string(), image: z.string() }).parse(answer.body);
    await audit(c, c.var.db(), { orgId: org, action: "container.launch", targetType: "container", targetId: container });
    return c.json({ token, command: launchCommand({ container, token, image, bridgeUrl: bridge }) }, 200);
  })
  .openapi(statusRoute, async (c) => {
    const auth = requireAuth(c, "projects:read");
    const { org, container } = c.req.valid("param");
    await requireOrgMember(c.var.db(), org, auth.user.id);
    const answer = await askModule(c, org, { method: "GET", path: "/container", query: { container }, member: auth.user.id });
    if (answer.status !== 200) {
      const refused = ErrorSchema.safeParse(answer.body);
      throw new ApiError(answer.status as ContentfulStatusCode, refused.data?.error.code ?? "not_found", refused.data?.error.message ?? "No such container.");
    }
    return c.json(ContainerStatusSchema.parse(answer.body), 200);
  })
  .openapi(catalogRoute, (c) => {
    requireAuth(c, "projects:read");
    return c.json({ images: [...CATALOG], domain: c.env.CONTAINER_DOMAIN || null, scheme: scheme(c) }, 200);
  })
  .openapi(openRoute, async (c) => {
    const { host, path } = c.req.valid("query");
    try {
      const domain = containerDomain(c);
      const parsed = parseContainerHost(host);
      if (!parsed || parsed.domain !== domain.replace(/:\d+$/, "")) throw new ApiError(400, "not_a_container_host", `${host} is not a container host of this Kiln.`);
      if (!path.startsWith("/") || path.startsWith("//")) throw new ApiError(400, "invalid_path", "The path must start with a single /.");
      if (!c.var.auth) {
        const back = `/containers/open?${new URLSearchParams({ host, path })}`;
        return c.redirect(`/login?${new URLSearchParams({ redirect: back })}`, 302);
      }
      const auth = requireAuth(c, "projects:read");
      await requireOrgMember(c.var.db(), parsed.org, auth.user.id).catch(() => {
        throw new ApiError(403, "forbidden", "You are not a member of the organization this container belongs to.");
      });
      const answer = await askModule(c, parsed.org, { method: "GET", path: "/access", query: { container: parsed.container, service: parsed.service ?? "" }, member: auth.user.id });
      if (answer.status !== 200) {
        const refused = ErrorSchema.safeParse(answer.body);
        throw new ApiError(answer.status as ContentfulStatusCode, refused.data?.error.code ?? "forbidden", refused.data?.error.message ?? "You may not open this container.");
      }
      const { terminal } = z.object({ terminal: z.boolean() }).parse(answer.body);
      const hostname = formatContainerHost({ ...parsed, domain: parsed.domain });
      const ticket = await signVisitorTicket(bridgeKey(c), { sub: auth.user.id, aud: hostname, org: parsed.org, container: parsed.container, access: terminal ? "write" : "read" });
      const port = /:(\d+)$/.exec(domain)?.[1];
      const target = `${scheme(c)}://${hostname}${port ? `:${port}` : ""}/_kiln/callback?${new URLSearchParams({ ticket, path })}`;
      return c.redirect(target, 302);
    } catch (error) {
      if (error instanceof ApiError) return refusal(c, error);
      throw error;
    }
  })
  .openapi(bridgeOrgsRoute, async (c) => {
    requireBridge(c);
    const domain = containerDomain(c);
    const rows = await c.var
      .db()
      .select({ org: organizationsVpnBridges.orgId })
      .from(organizationsVpnBridges)
      .innerJoin(vpnBridges, eq(vpnBridges.id, organizationsVpnBridges.bridgeId))
      .where(eq(vpnBridges.host, domain));
    return c.json({ orgs: rows.map((r) => r.org) }, 200);
  });
