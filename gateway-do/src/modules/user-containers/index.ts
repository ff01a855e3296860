/**
 * user-containers: containers a team starts on its own machines, shown as board nodes.
 * A person creates one (and gets its token, once); the VPN bridge reports what happens to it
 * (joined, heartbeats, services, goodbye, visitors' use); the module's alarm notices silence
 * and idleness (`alarm.ts`). Every state change is an event through the pipeline, by whoever
 * caused it, and moves the container through the table in `machine.ts`.
 */
import { z } from "zod";
import { AgentReportSchema, ContainerIdSchema, type ContainerRecord, MetricsSchema, ServiceSchema, ShareLevelSchema, formatContainerToken } from "../../../../protocol/containers";
import { deleteNodes, newNode, nodesOf } from "../core-graph";
import { type ModuleDefinition, type ReduceContext, EventError, defineEvent, storedRecord } from "../kit";
import { PlaceOnView, checkPlace, placeAsAsked } from "../whiteboard/place";
import { bridgeSocket } from "./bridge";
import { catalogServices } from "./catalog";
import { nextAlarmAt, runAlarm } from "./alarm";
import { type Cause, transition } from "./machine";
import {
  ContainerRecordType,
  MIGRATIONS,
  USER_CONTAINERS,
  containerPermission,
  containersOf,
  forgetContainer,
  hashOf,
  insertLive,
  liveRow,
  newContainerId,
  newSecret,
  queueForBridge,
  queueRoute,
  requireContainer,
  updateLive,
} from "./records";
import { accessRoute, containerRoute, launchRoute, readSettingsRoute, writeSettingsRoute } from "./routes";


const ContainerRef = z.strictObject({ container: ContainerIdSchema });

export const CreateContainerSchema = z.strictObject({
  /** The id, if the client chose it (the node's id too). */
  id: ContainerIdSchema.optional(),
  ...PlaceOnView,
  name: z.string().trim().min(1, "Name the container.").max(80),
  image: z
    .string()
    .trim()
    .min(1, "Choose an image.")
    .max(200)
    .regex(/^[a-z0-9][a-z0-9._\/:@-]*$/, "An image reference is lower-case letters, digits and . _ / : @ -."),
  share: ShareLevelSchema.default("project"),
  /** Services of an image not in the catalog (a catalog image brings its own). */
  services: z.array(ServiceSchema).max(32).optional(),
});

/** Moves a container by `cause`, or refuses with the machine's code. */
function moved(record: ContainerRecord, cause: Cause, now: number): ContainerRecord {
  const next = transition(record.state, cause);
  if (!next.ok) throw new EventError(next.code, next.message);
  if (next.state === record.state) return record;
  // Why it stopped for idleness is told until it moves on.
  const { stoppedIdle: _, ...rest } = record;
  return { ...rest, state: next.state, since: now };
}

/** The module's tables; the pipeline always passes them on the gateway. */
function tablesOf(ctx: ReduceContext) {
  if (!ctx.sql || !ctx.project || !ctx.org) throw new EventError("unavailable", "Containers are managed by the organization's gateway.");
  return { sql: ctx.sql, project: ctx.project, org: ctx.org };
}

/** The change writing a moved container to the doc, the module's table and the bridge's outbox. */
function write(ctx: ReduceContext, record: ContainerRecord, extra: Parameters<typeof updateLive>[2] = {}) {
  const { sql } = tablesOf(ctx);
  return () => {
    containersOf(ctx.doc).set(record.id, storedRecord(ContainerRecordType, record));
    updateLive(sql, record, extra);
    queueRoute(sql, record.id);
  };
}

/** A person's action on a container that moves it by `cause`. */
const personal = (cause: Cause, action: "update" | "delete") =>
  defineEvent({
    schema: ContainerRef,
    permission: (p) => containerPermission(p.container, action),
    reduce: (ctx, p) => write(ctx, moved(requireContainer(ctx.doc, p.container), cause, ctx.now)),
  });

export const userContainers = {
  name: USER_CONTAINERS,
  nodeKinds: ["container"],
  tabKinds: ["app"],
  dependencies: ["core-graph", "whiteboard"],
  permissions: ["user-containers:create", "user-containers:[user-container:*]:open", "user-containers:[user-container:*]:terminal", "user-containers:[user-container:*]:update", "user-containers:[user-container:*]:delete"],
  errors: { illegal_transition: 409, unavailable: 503, not_found: 404, conflict: 409 },
  storage: { migrations: MIGRATIONS },
  records: { containers: ContainerRecordType },
  onNodeDeleted(doc, nodeId, sql) {
    if (!containersOf(doc).has(nodeId)) return;
    containersOf(doc).delete(nodeId);
    if (sql) forgetContainer(sql, nodeId);
  },
  events: {
    create: defineEvent({
      schema: CreateContainerSchema,
      permission: () => "user-containers:create",
      reduce: (ctx, p) => {
        const { sql, project, org } = tablesOf(ctx);
        checkPlace(ctx.doc, p);
        const id = p.id ?? newContainerId();
        if (nodesOf(ctx.doc).has(id) || liveRow(sql, id)) throw new EventError("conflict", `A container ${id} already exists.`);
        const services = catalogServices(p.image) ?? p.services ?? [];
        const record: ContainerRecord = {
          id,
          name: p.name,
          image: p.image,
          owner: ctx.actor.userId,
          project,
          state: "created",
          share: p.share,
          address: null,
          services,
          metrics: null,
          since: ctx.now,
          lastSeen: null,
          createdAt: ctx.now,
        };
        const secret = newSecret();
        const node = newNode(ctx, "container", id);
        return {
          change: () => {
            nodesOf(ctx.doc).set(id, node);
            containersOf(ctx.doc).set(id, storedRecord(ContainerRecordType, record));
            placeAsAsked(ctx.doc, id, p, { width: 320, height: 240 });
            insertLive(sql, record, hashOf(secret));
            queueRoute(sql, id);
          },
          result: { container: record, token: formatContainerToken(org, id, secret) },
        };
      },
    }),
    /** A new token (the old one stops working): for a launch command shown again. */
    launch: defineEvent({
      schema: ContainerRef,
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => {
        const { sql, org } = tablesOf(ctx);
        const record = requireContainer(ctx.doc, p.container);
        const secret = newSecret();
        return {
          change: () => {
            sql.exec("update user_containers_live set token_hash = ? where id = ?", hashOf(secret), p.container);
          },
          result: { token: formatContainerToken(org, p.container, secret), image: record.image },
        };
      },
    }),
    delete: defineEvent({
      schema: ContainerRef,
      permission: (p) => containerPermission(p.container, "delete"),
      reduce: (ctx, p) => {
        moved(requireContainer(ctx.doc, p.container), "delete", ctx.now);
        const { sql } = tablesOf(ctx);
        // The node goes with its placements, edges and record (onNodeDeleted); the token and routes with the row.
        return () => deleteNodes(ctx.doc, [p.container], ctx.modules, sql);
      },
    }),
    stop: defineEvent({
      schema: ContainerRef,
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => {
        const record = moved(requireContainer(ctx.doc, p.container), "stop", ctx.now);
        const change = write(ctx, record, { connection: null });
        const { sql } = tablesOf(ctx);
        return () => {
          change();
          queueForBridge(sql, { type: "command", container: p.container, command: "stop" });
        };
      },
    }),
    restart: defineEvent({
      schema: ContainerRef,
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => {
        const record = requireContainer(ctx.doc, p.container);
        if (record.state !== "running") throw new EventError("illegal_transition", `Only a running container can restart its services; this one is ${record.state}.`);
        const { sql } = tablesOf(ctx);
        return () => queueForBridge(sql, { type: "command", container: p.container, command: "restart" });
      },
    }),
    share: defineEvent({
      schema: ContainerRef.extend({ share: ShareLevelSchema }),
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => {
        const record = requireContainer(ctx.doc, p.container);
        // Who may open it changed: cookies minted before are void.
        return write(ctx, { ...record, share: p.share }, { bumpEpoch: true });
      },
    }),

    // ── From the bridge ─────────────────────────────────────────────────────────────────
    connected: defineEvent({
      schema: ContainerRef.extend({ address: z.string().max(45), connection: z.string().max(32) }),
      principals: ["bridge"],
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => {
        const before = requireContainer(ctx.doc, p.container);
        const record = moved(before, "connected", ctx.now);
        // Starting again is use: its idle clock starts now (a bridge reconnecting to a running one is not).
        const activeAt = before.state === "running" ? undefined : ctx.now;
        return write(ctx, { ...record, address: p.address, lastSeen: ctx.now }, { connection: p.connection, lastSeen: ctx.now, activeAt });
      },
    }),
    disconnected: defineEvent({
      schema: ContainerRef,
      principals: ["bridge"],
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => write(ctx, moved(requireContainer(ctx.doc, p.container), "disconnected", ctx.now), { connection: null }),
    }),
    report: defineEvent({
      schema: ContainerRef.extend({ services: AgentReportSchema.shape.services, metrics: MetricsSchema.nullable() }),
      principals: ["bridge"],
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => {
        const record = moved(requireContainer(ctx.doc, p.container), "report", ctx.now);
        return write(ctx, { ...record, services: p.services, metrics: p.metrics ?? record.metrics, lastSeen: ctx.now }, { lastSeen: ctx.now, metricsAt: ctx.now });
      },
    }),
    goodbye: defineEvent({
      schema: ContainerRef,
      principals: ["bridge"],
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => write(ctx, moved(requireContainer(ctx.doc, p.container), "goodbye", ctx.now), { connection: null }),
    }),

    // ── From the module's alarm and hooks ────────────────────────────────────────────────
    timeout: defineEvent({
      schema: ContainerRef,
      principals: ["system"],
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => write(ctx, moved(requireContainer(ctx.doc, p.container), "timeout", ctx.now)),
    }),
    /** Nobody used it for the org's idle minutes: it stops (the agent parks) and the node says why. */
    idle: defineEvent({
      schema: ContainerRef.extend({ minutes: z.int().min(1) }),
      principals: ["system"],
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => {
        const record = moved(requireContainer(ctx.doc, p.container), "stop", ctx.now);
        const change = write(ctx, { ...record, stoppedIdle: { minutes: p.minutes } }, { connection: null });
        const { sql } = tablesOf(ctx);
        return () => {
          change();
          queueForBridge(sql, { type: "command", container: p.container, command: "stop" });
        };
      },
    }),
    /** Its owner left the organization: its token is revoked and it stops. */
    revoke: defineEvent({
      schema: ContainerRef,
      principals: ["system"],
      permission: (p) => containerPermission(p.container, "update"),
      reduce: (ctx, p) => {
        const record = requireContainer(ctx.doc, p.container);
        const { sql } = tablesOf(ctx);
        const stopped = transition(record.state, "stop");
        const change = write(ctx, stopped.ok ? { ...record, state: stopped.state, since: ctx.now } : record, { connection: null });
        return () => {
          change();
          sql.exec("update user_containers_live set token_hash = null where id = ?", p.container);
          queueForBridge(sql, { type: "command", container: p.container, command: "stop" });
        };
      },
    }),
  },
  nextAlarm: nextAlarmAt,
  onAlarm: runAlarm,
  onMembershipChanged: (host, { removed }) => {
    for (const userId of removed) {
      const owned = host.sql.exec<{ id: string; project: string }>("select id, project from user_containers_live where owner = ?", userId).toArray();
      for (const row of owned) host.runEvent(row.project, { type: "user-containers:revoke", container: row.id }, { kind: "system", id: USER_CONTAINERS });
    }
    // Their cookies on every container host are void from now on.
    if (removed.length > 0) queueForBridge(host.sql, { type: "revoke-users", users: [...removed], at: host.now });
  },
  onProjectDeleted: (host, project) => {
    for (const row of host.sql.exec<{ id: string }>("select id from user_containers_live where project = ?", project).toArray()) forgetContainer(host.sql, row.id);
  },
  routes: [accessRoute, launchRoute, containerRoute, readSettingsRoute, writeSettingsRoute],
  sockets: [bridgeSocket],
  afterEvent: (host) => {
    const queued = host.sql.exec<{ seq: number; message: string }>("select seq, message from user_containers_outbox order by seq").toArray();
    if (queued.length === 0) return;
    host.sql.exec("delete from user_containers_outbox where seq <= ?", queued.at(-1)!.seq);
    // Nobody listening is fine: a bridge that connects later gets a snapshot of every route.
    for (const { message } of queued) host.broadcast(JSON.parse(message));
  },
} as const satisfies ModuleDefinition;
