/**
 * The gateway's HTTP side for API keys and scripts: `POST /gw/{org}/projects/{project}/events`
 * runs one event as the WebSocket does, and `GET /gw/{org}/event-log` pages the org's event
 * log for its admins. The worker authenticates the caller and checks Postgres; the gateway
 * checks again against its own copy of the membership.
 */
import { z } from "@hono/zod-openapi";
import { getServerByName } from "partyserver";
import { errorStatuses } from "../../../gateway-do/src/events/pipeline";
import { modules } from "../../../gateway-do/src/modules/registry";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { requireAuth } from "../auth/middleware";
import { clientIp } from "../auth/sessions";
import { pushMembership } from "../gateway/membership-push";
import { EventAcceptedSchema, EventEnvelopeSchema } from "../../../protocol/events";
import { ApiError } from "../lib/errors";
import { ErrorSchema, TimestampSchema, createApp, defineRoute, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";
import { requireOrgRole, requireVisibleProject } from "../orgs/membership";

const Params = z.object({
  org: z.uuid().openapi({ param: { name: "org", in: "path" } }),
  project: z.uuid().openapi({ param: { name: "project", in: "path" } }),
});

// The envelope as the gateway checks it (protocol/events.ts): a malformed one is refused here already.
const EventSchema = EventEnvelopeSchema.openapi("GatewayEvent", { description: "`type` is `module:action`; the other fields are the module's payload." });

const AckSchema = EventAcceptedSchema.openapi("EventAck");

/** HTTP status for an event refusal, by its code: the pipeline's and each module's own. */
const STATUS = errorStatuses(modules);

const eventRoute = defineRoute({
  method: "post",
  path: "/{org}/projects/{project}/events",
  operationId: "sendProjectEvent",
  access: "sessionOrApiKey",
  tags: ["gateway"],
  summary: "Send an event to a project (as the WebSocket does), for API keys and scripts",
  request: { params: Params, body: { content: { "application/json": { schema: EventSchema } }, required: true } },
  responses: {
    200: jsonResponse(AckSchema, "Applied and stored."),
    400: jsonResponse(ErrorSchema, "Malformed event, unknown type or invalid payload (fields named)."),
    404: jsonResponse(ErrorSchema, "No such project, or something the event names does not exist."),
    409: jsonResponse(ErrorSchema, "The event conflicts with the current state (e.g. locked)."),
    413: jsonResponse(ErrorSchema, "The project doc would grow past its limit (`doc_too_large`)."),
    429: jsonResponse(ErrorSchema, "Too many events: from you at this address (see Retry-After), or for the gateway (`rate_limited`)."),
  },
});

const EntrySchema = z.object({
  id: z.number().int(),
  at: TimestampSchema,
  userId: z.uuid(),
  project: z.uuid(),
  type: z.string().nullable(),
  requestId: z.string().nullable(),
  ok: z.boolean(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
});

const logRoute = defineRoute({
  method: "get",
  path: "/{org}/event-log",
  operationId: "listEventLog",
  access: "sessionOrApiKey",
  tags: ["gateway"],
  summary: "The organization's event log, newest first (org admins)",
  request: {
    params: Params.pick({ org: true }),
    query: z.object({ before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
  },
  responses: {
    200: jsonResponse(z.object({ entries: z.array(EntrySchema), nextBefore: z.number().int().nullable() }).openapi("EventLogPage"), "A page."),
    404: jsonResponse(ErrorSchema, "No such organization, or you are not a member of it."),
  },
});

export const gatewayEvents = createApp()
  .openapi(eventRoute, async (c) => {
    const auth = requireAuth(c, "projects:write");
    const { org, project } = c.req.valid("param");
    const db = c.var.db();
    await enforceRateLimits(db, [{ key: `events:user:${auth.user.id}:${clientIp(c) ?? "unknown"}`, limit: 600, windowSeconds: 60 }]);
    await requireVisibleProject(db, org, project, auth.user.id);
    const gateway = await getServerByName(c.env.GATEWAY, org);
    let ack = await gateway.applyEvent(project, auth.user.id, c.req.valid("json"));
    // Postgres admits the caller but the gateway's copy does not: it missed a push. Repair, retry once.
    if (!ack.ok && ack.error.code === "forbidden" && ack.requestId === null && (await pushMembership(c, org))) {
      ack = await gateway.applyEvent(project, auth.user.id, c.req.valid("json"));
    }
    // What the event returns to its sender alone (a new kernel, a container's token) is the caller's.
    if (ack.ok) {
      const result: unknown = "result" in ack ? ack.result : undefined;
      return c.json({ requestId: ack.requestId, ok: true as const, ...(result === undefined ? {} : { result }) }, 200);
    }
    // Every code a module refuses with is declared by it (a test holds them to it).
    throw new ApiError((STATUS.get(ack.error.code) ?? 400) as ContentfulStatusCode, ack.error.code, ack.error.message, ack.error.fields);
  })
  .openapi(logRoute, async (c) => {
    const auth = requireAuth(c, "orgs:read");
    const { org } = c.req.valid("param");
    await requireOrgRole(c.var.db(), org, auth.user.id, "admin");
    const gateway = await getServerByName(c.env.GATEWAY, org);
    return c.json(await gateway.eventLog(c.req.valid("query")), 200);
  });
