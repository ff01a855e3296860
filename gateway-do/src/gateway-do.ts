/**
 * GatewayDO: one Durable Object per organization, addressed by `idFromName(orgId)`.
 * It keeps the org's membership as the worker pushes it (SQLite), admits WebSockets to
 * `/gw/{org}/projects/{project}/ws?token=…` only with a valid gateway token for a member
 * who may see the project, and closes their sockets at once when a push takes that away.
 * Each project's doc lives in a ProjectRoom (sync/project-room.ts), loaded on demand and
 * unloaded when idle; events run through the module pipeline and land in the event log.
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import type * as Y from "yjs";
import type { EventAck } from "../../protocol/events";
import { ClientMessageSchema, CloseCode, type ServerMessage } from "../../protocol/socket";
import type { PipelineOptions } from "./events/pipeline";
import { type EventSender, EventRunner, toAck } from "./events/runner";
import { ModuleHost, type RouteAnswer } from "./host/module-host";
import { type ModuleSocketState, isModuleSocket, moduleSocketMessage, openModuleSocket } from "./host/module-sockets";
import { Budgets, MAX_FRAME_BYTES, MAX_REFUSALS, MAX_SOCKETS_PER_USER, type Spend } from "./limits";
import type { Actor, ModuleDefinition } from "./modules/kit";
import { modules as registeredModules } from "./modules/registry";
import { customGrants } from "./modules/roles";
import { grantsFor } from "./permissions/roles";
import { DocStore } from "./storage/doc-store";
import { EventLog, type EventLogEntry } from "./storage/event-log";
import { type ProjectEdit, ProjectEdits } from "./storage/project-edits";
import { presenceFrame } from "./sync/presence";
import { ProjectRoom, type RoomPeer, type RoomSender } from "./sync/project-room";
import { r2Blobs } from "./storage/r2-blobs";
import { PRINCIPAL_HEADER, type TokenCheck, parseModuleSocketPath, parseSocketPath, verifyGatewayToken } from "./auth";
import { type MembershipSnapshot, MembershipSnapshotSchema, type OrgRole, type ProjectRole, accessDeniedReason, projectAccess } from "./membership";
import { migrateMembership, readMembership, storedVersion, writeMembership } from "./membership-store";

export interface GatewayStatus {
  org: string;
  connections: number;
}

/** What each admitted socket carries in its attachment, so it survives hibernation. */
export interface SocketState {
  userId: string;
  /** The user's name, from their token: presence shows it, whatever the client says. */
  name: string;
  project: string;
  roles: { org: OrgRole; project: ProjectRole | null };
  /** Yjs client ids (doc and presence) this socket speaks for. */
  clients: readonly number[];
  /** Whether the client asked for the gateway's JSON messages (`?json=1`); a stock y-websocket client gets binary frames only. */
  json: boolean;
}


/** What a push did: applied (closing `closed` sockets), or refused and why. Never thrown, so the caller decides. */
export type SyncResult =
  | { applied: true; version: number; closed: number }
  | { applied: false; reason: "stale"; version: number }
  | { applied: false; reason: "invalid"; message: string };

/** How often the alarm looks for idle projects and logs to compact. */
export const ALARM_INTERVAL_MS = 30_000;

/**
 * A connection as a room's broadcast sees it. `send` is bound once per listing: partyserver
 * gives every socket properties of its own, so looking `send` up on each socket in a
 * 200-socket broadcast cost a third as much as the sends themselves.
 */
function roomPeer(connection: Connection<SocketState>): RoomPeer {
  return {
    get id() {
      return connection.id;
    },
    send: WebSocket.prototype.send.bind(connection),
  };
}

export class GatewayDO extends Server<Env> {
  // Idle sockets hibernate: the object can leave memory while clients stay connected.
  static override options = { hibernate: true };

  /** Token checks made while tagging a socket, read once when it connects (same request, never across hibernation). */
  readonly #pendingChecks = new Map<string, TokenCheck>();
  /** Cache of the stored snapshot; rebuilt from SQLite after eviction. */
  #snapshot: MembershipSnapshot | undefined;
  readonly #docs: DocStore;
  readonly #eventLog: EventLog;
  /** When each project was last edited by a person (the org's project list shows it). */
  readonly #edits: ProjectEdits;
  /** Loaded project docs; rebuilt from storage on demand (after hibernation, too). */
  readonly #rooms = new Map<string, ProjectRoom>();
  /** Frame and event budgets per user and for the org. */
  readonly #budgets = new Budgets();
  /**
   * Each project's admitted sockets, listed from the hibernation API on first need and
   * dropped whenever a socket joins, leaves or loses access. Listing reads every socket's
   * attachment, which cost a third of the gateway's CPU when done for every broadcast.
   */
  readonly #peers = new Map<string, RoomPeer[]>();

  readonly #host: ModuleHost;
  readonly #events: EventRunner;
  /** The modules, their events and their storage, as the pipeline runs them. */
  readonly #pipeline: PipelineOptions;

  /** The modules this gateway runs: the registry's (a test gateway adds its own). */
  protected moduleList(): readonly ModuleDefinition[] {
    return registeredModules;
  }

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrateMembership(ctx.storage.sql);
    const modules = this.moduleList();
    this.#pipeline = {
      modules,
      specs: new Map(modules.flatMap((m) => Object.entries(m.events).map(([action, spec]) => [`${m.name}:${action}`, spec] as const))),
      sql: () => ctx.storage.sql,
    };
    const gateway = this;
    this.#host = new ModuleHost(modules, {
      sql: ctx.storage.sql,
      get org() {
        return gateway.name;
      },
      grants: (userId, project) => this.#grants(userId, project),
      isMember: (userId) => this.membership().members.some((m) => m.userId === userId),
      roles: (userId, project) => {
        const member = this.membership().members.find((m) => m.userId === userId);
        if (!member) return null;
        const access = project === null ? null : projectAccess(this.membership(), userId, project);
        return { org: member.role, project: access?.ok ? access.roles.project : null };
      },
      broadcast: (module, message) => {
        const text = JSON.stringify(message);
        for (const connection of this.getConnections(`module:${module}`)) if (connection.readyState === WebSocket.OPEN) connection.send(text);
      },
      transaction: (fn) => ctx.storage.transactionSync(fn),
      blobs: env.IMAGES ? r2Blobs(env.IMAGES) : null,
      projects: () => this.membership().projects.map((p) => p.id),
      runEvent: (project, raw, principal, grants) => {
        if (principal.kind !== "user") {
          return this.#events.run({ kind: principal.kind, id: `${principal.kind}:${principal.id}`, actor: () => ({ userId: `${principal.kind}:${principal.id}`, grants, principal }) }, project, raw);
        }
        // A member acts with their own permissions, whatever the module asked for.
        const access = projectAccess(this.membership(), principal.id, project);
        if (!access.ok) return { ok: false, requestId: null, type: null, error: { code: "forbidden", message: accessDeniedReason(access.reason, false) } };
        return this.#events.run(this.#member(principal.id, access.roles, project), project, raw);
      },
    });
    // A heartbeat costs the gateway nothing: the runtime answers it without waking any code (and
    // so without a budget: a flood of pings stalls nobody). `{"type":"ping"}` gets the full status.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", JSON.stringify({ type: "pong" })));
    this.#docs = new DocStore(ctx.storage.sql, (fn) => ctx.storage.transactionSync(fn));
    this.#eventLog = new EventLog(ctx.storage.sql);
    this.#edits = new ProjectEdits(ctx.storage.sql);
    this.#events = new EventRunner({
      room: (project) => this.#room(project),
      log: this.#eventLog,
      edits: this.#edits,
      pipeline: this.#pipeline,
      org: () => this.name,
      committed: (type) => {
        // Its module may want its alarm sooner now.
        if (this.#host.mayMoveAlarm(type)) void this.#scheduleAlarm();
      },
      settled: () => this.#host.flush(),
    });
  }

  /** The project's room, loading its doc if needed, and keeping the alarm that unloads it set. */
  #room(project: string): ProjectRoom {
    let room = this.#rooms.get(project);
    if (!room) {
      const peers = () => {
        let list = this.#peers.get(project);
        if (!list) {
          // Only sockets admitted to this project (a socket refused at connect carries no state).
          list = [...this.getConnections<SocketState>(`project:${project}`)].filter((c) => c.state?.project === project).map(roomPeer);
          this.#peers.set(project, list);
        }
        return list;
      };
      room = new ProjectRoom(project, this.#docs, peers, Number(this.env.GATEWAY_MAX_DOC_BYTES) || undefined, this.#pipeline.modules, (userId) => this.#edits.touch(project, userId));
      for (const connection of this.getConnections<SocketState>(`project:${project}`)) {
        const state = connection.state;
        if (state?.project === project) room.restore({ id: connection.id, userId: state.userId, clients: state.clients ?? [] });
      }
      this.#rooms.set(project, room);
      void this.#scheduleAlarm();
    }
    return room;
  }

  /**
   * One alarm for everything: the earliest of what any module asks for (with no project open
   * too) and, while projects are loaded, the next look for idle ones.
   */
  async #scheduleAlarm(now = Date.now()): Promise<void> {
    const wanted = [this.#host.nextAlarm(now), this.#rooms.size > 0 ? now + ALARM_INTERVAL_MS : null].filter((t) => t !== null);
    if (wanted.length === 0) return;
    const at = Math.max(now, Math.min(...wanted));
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
  }

  /** The actor for a member in a project: built-in roles from the membership, custom roles from the doc. */
  #actor(userId: string, roles: SocketState["roles"], project: string, doc: Y.Doc): Actor {
    const visibility = this.membership().projects.find((p) => p.id === project)?.visibility ?? "members";
    const custom = customGrants(doc, userId);
    return { userId, grants: grantsFor({ userId, orgRole: roles.org, projectRole: roles.project, customGrants: custom.grants, hasCustomRoles: custom.hasCustomRoles }, visibility) };
  }

  /** A member's permissions in a project, or null when they may not see it. */
  #grants(userId: string, project: string): readonly string[] | null {
    const access = projectAccess(this.membership(), userId, project);
    return access.ok ? this.#actor(userId, access.roles, project, this.#room(project).doc).grants : null;
  }

  /** A member as the sender of events in a project. */
  #member(userId: string, roles: SocketState["roles"], project: string): EventSender {
    return { kind: "user", id: userId, actor: (doc) => this.#actor(userId, roles, project, doc) };
  }

  /**
   * An event sent over HTTP (RPC from the worker, which authenticated the caller). The
   * gateway checks access against its own copy of the membership, as for a socket.
   */
  applyEvent(project: string, userId: string, event: unknown): EventAck {
    const access = projectAccess(this.membership(), userId, project);
    if (!access.ok) return { requestId: null, ok: false, error: { code: "forbidden", message: accessDeniedReason(access.reason, false) } };
    return toAck(this.#events.run(this.#member(userId, access.roles, project), project, event));
  }

  /**
   * A request to a module's route (RPC from the worker). `member` is the user the worker
   * authenticated (checked again here against the gateway's membership), or null when the
   * module checks the bearer's credentials itself.
   */
  async moduleRequest(input: { module: string; method: string; path: string; query: Record<string, string>; body: unknown; bytes?: Uint8Array | null; member: string | null; bearer: string | null }): Promise<RouteAnswer> {
    if (input.member !== null && !this.membership().members.some((m) => m.userId === input.member)) {
      return { status: 404, body: { error: { code: "not_found", message: "No such organization, or you are not a member of it." } } };
    }
    const answer = await this.#host.request(input);
    if (this.#host.hasAlarms) void this.#scheduleAlarm();
    return answer;
  }

  /** A page of the org's event log, newest first (RPC; the worker checks the caller is an org admin). */
  eventLog(options: { before?: number; limit: number }): { entries: EventLogEntry[]; nextBefore: number | null } {
    return this.#eventLog.page(options);
  }

  /** When each project was last edited by a person, by project id (RPC: the worker's project list). */
  projectEdits(): Record<string, ProjectEdit> {
    return this.#edits.all();
  }

  /** What the gateway reports about itself. */
  status(): GatewayStatus {
    return { org: this.name, connections: [...this.getConnections()].length };
  }

  /** The membership this gateway currently enforces. */
  membership(): MembershipSnapshot {
    this.#snapshot ??= readMembership(this.ctx.storage.sql, this.name);
    return this.#snapshot;
  }

  /**
   * Replaces the membership with the worker's full snapshot (RPC). Idempotent; an older
   * snapshot than the stored one is ignored. Closes the sockets it no longer admits.
   */
  syncMembership(input: unknown): SyncResult {
    const parsed = MembershipSnapshotSchema.safeParse(input);
    if (!parsed.success) return { applied: false, reason: "invalid", message: parsed.error.message };
    const snapshot = parsed.data;
    if (snapshot.org !== this.name) return { applied: false, reason: "invalid", message: `snapshot for org ${snapshot.org} sent to the gateway of ${this.name}` };
    const stored = storedVersion(this.ctx.storage.sql);
    if (stored !== null && snapshot.version < stored) return { applied: false, reason: "stale", version: stored };
    const previous = stored === null ? null : this.membership();
    this.ctx.storage.transactionSync(() => writeMembership(this.ctx.storage.sql, snapshot));
    this.#snapshot = snapshot;
    if (previous) {
      const members = new Set(snapshot.members.map((m) => m.userId));
      this.#host.membershipChanged(previous.members.map((m) => m.userId).filter((id) => !members.has(id)));
      const projects = new Set(snapshot.projects.map((p) => p.id));
      for (const gone of previous.projects.filter((p) => !projects.has(p.id))) this.#dropProject(gone.id);
    }
    this.#peers.clear();
    let closed = 0;
    for (const connection of this.getConnections<SocketState>()) {
      const state = connection.state as SocketState | ModuleSocketState | null;
      if (!state || isModuleSocket(state)) continue; // refused at connect (already closing), or a module's socket (not a member's)
      const access = projectAccess(snapshot, state.userId, state.project);
      if (access.ok) {
        connection.setState({ ...state, roles: access.roles });
      } else {
        connection.close(CloseCode.Forbidden, accessDeniedReason(access.reason, true));
        closed++;
      }
    }
    return { applied: true, version: snapshot.version, closed };
  }

  /**
   * The worker authenticates every request before it gets here; this is the second lock.
   * Headers and parameters that partyserver reads are the gateway's own, never a client's:
   * a forged `x-partykit-props` or an over-long `_pk` made partyserver throw and answer with
   * its stack trace. Nothing that fails in here leaves the server as more than a code.
   */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const isSocket = request.headers.get("upgrade")?.toLowerCase() === "websocket";
    if (isSocket && !parseSocketPath(url.pathname) && !parseModuleSocketPath(url.pathname)) {
      return Response.json({ error: { code: "not_found", message: "Connect to /gw/{org}/projects/{project}/ws?token=…" } }, { status: 404 });
    }
    url.searchParams.delete("_pk");
    const headers = new Headers(request.headers);
    for (const name of [...headers.keys()]) if (name.startsWith("x-partykit-")) headers.delete(name);
    try {
      const response = await super.fetch(new Request(url, { method: request.method, headers, body: request.body }));
      if (response.status < 500) return response;
      return Response.json({ error: { code: "internal", message: "The gateway failed to answer." } }, { status: 500 });
    } catch (error) {
      console.error("gateway fetch failed", error);
      return Response.json({ error: { code: "internal", message: "The gateway failed to answer." } }, { status: 500 });
    }
  }

  // Tags are fixed when the socket is accepted, so the token is verified here, before onConnect.
  override async getConnectionTags(connection: Connection, ctx: ConnectionContext): Promise<string[]> {
    const url = new URL(ctx.request.url);
    const modulePath = parseModuleSocketPath(url.pathname);
    if (modulePath) return [`module:${modulePath.module}`];
    const path = parseSocketPath(url.pathname)!; // fetch() refused every other path
    const check = await verifyGatewayToken(url.searchParams.get("token"), this.env.JWT_PRIVATE_KEY, { org: this.name, project: path.project });
    this.#pendingChecks.set(connection.id, check);
    return check.ok ? [`user:${check.claims.sub}`, `project:${path.project}`] : ["refused"];
  }

  // Accept, then close with a code and reason: a browser cannot read an HTTP refusal of a WebSocket.
  override onConnect(connection: Connection<SocketState>, ctx: ConnectionContext): void {
    const modulePath = parseModuleSocketPath(new URL(ctx.request.url).pathname);
    if (modulePath) return openModuleSocket(this.#host, connection as unknown as Connection<ModuleSocketState>, modulePath, ctx.request.headers.get(PRINCIPAL_HEADER));
    const check = this.#pendingChecks.get(connection.id);
    this.#pendingChecks.delete(connection.id);
    if (!check?.ok) {
      connection.close(CloseCode.Unauthenticated, check?.reason ?? "invalid token");
      return;
    }
    const { sub: userId, project } = check.claims;
    const access = projectAccess(this.membership(), userId, project);
    if (!access.ok) {
      connection.close(CloseCode.Forbidden, accessDeniedReason(access.reason, false));
      return;
    }
    // This socket is tagged already: more than the cap means one too many.
    if ([...this.getConnections(`user:${userId}`)].length > MAX_SOCKETS_PER_USER) {
      connection.close(CloseCode.RateLimited, `too many connections: ${MAX_SOCKETS_PER_USER} per person at most`);
      return;
    }
    const json = new URL(ctx.request.url).searchParams.get("json") === "1";
    connection.setState({ userId, name: check.claims.name ?? "", project, roles: access.roles, clients: [], json });
    this.#peers.delete(project);
    this.#room(project).join(connection);
  }

  /** Over HTTP the worker calls the gateway by RPC; a plain request has nothing to reach. */
  override onRequest(request: Request): Response {
    return Response.json({ error: { code: "not_found", message: `The gateway has no ${request.method} ${new URL(request.url).pathname}.` } }, { status: 404 });
  }

  /** Spends from the budgets; past too many refusals, closes the connection and says false. */
  #spend(connection: Connection<SocketState>, spend: Spend, what: string): boolean {
    if (spend.allowed) return true;
    if (spend.refusals >= MAX_REFUSALS) connection.close(CloseCode.RateLimited, `too many ${what}: slow down and reconnect`);
    return false;
  }

  /** Frames still queued on a socket the gateway closed (refused, over budget) are dropped before any other work. */
  override async webSocketMessage(ws: WebSocket, message: WSMessage): Promise<void> {
    if (ws.readyState !== WebSocket.OPEN) return;
    return super.webSocketMessage(ws, message);
  }

  override onMessage(connection: Connection<SocketState>, message: WSMessage): void {
    // Refused at connect, or closed by us while its frames were still in flight.
    if (connection.readyState !== WebSocket.OPEN) return;
    const state = connection.state as SocketState | ModuleSocketState | null;
    if (!state) return;
    if (isModuleSocket(state)) return this.#moduleMessage(connection as unknown as Connection<ModuleSocketState>, state, message);
    const size = typeof message === "string" ? message.length : message.byteLength;
    if (size > MAX_FRAME_BYTES) {
      connection.close(CloseCode.TooBig, `frames are limited to ${MAX_FRAME_BYTES} bytes`);
      return;
    }
    // A stock Yjs client would choke on JSON: it gets binary frames only.
    const send = (m: ServerMessage) => {
      if (state.json && connection.readyState === WebSocket.OPEN) connection.send(JSON.stringify(m));
    };
    if (!this.#spend(connection, this.#budgets.frame(state.userId), "messages")) {
      if (typeof message === "string") this.#refuseText(send, message);
      return;
    }
    const room = this.#room(state.project);
    if (typeof message !== "string") {
      const bytes = message instanceof ArrayBuffer ? new Uint8Array(message) : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      const notice = room.receive(this.#sender(connection, state as SocketState), () => this.#actor(state.userId, state.roles, state.project, room.doc), bytes);
      if (notice) send(notice);
      return;
    }
    let parsed: ReturnType<typeof ClientMessageSchema.safeParse>;
    try {
      parsed = ClientMessageSchema.safeParse(JSON.parse(message));
    } catch {
      return send({ type: "error", error: { code: "invalid_json", message: "Text frames must be JSON." } });
    }
    if (!parsed.success) return send({ type: "error", error: { code: "unknown_message", message: 'Send {"type":"event","event":{…}} or {"type":"ping"}.' } });
    if (parsed.data.type === "ping") return send({ type: "pong", ...this.status() });
    if (!this.#spend(connection, this.#budgets.event(state.userId), "events")) {
      const requestId = (parsed.data.event as { requestId?: unknown } | null)?.requestId;
      return send({ type: "ack", requestId: typeof requestId === "string" ? requestId : null, ok: false, error: { code: "rate_limited", message: "Too many events: slow down." } });
    }
    send({ type: "ack", ...toAck(this.#events.run(this.#member(state.userId, state.roles, state.project), state.project, parsed.data.event)) });
  }

  #moduleMessage(connection: Connection<ModuleSocketState>, state: ModuleSocketState, message: WSMessage): void {
    moduleSocketMessage(this.#host, connection, state, message);
    // A heartbeat moves the module's alarm without any event.
    if (this.#host.hasAlarms) void this.#scheduleAlarm();
  }

  /** Answers an event refused for the frame budget, unparsed, so its sender knows to slow down (other text gets nothing). */
  #refuseText(send: (m: ServerMessage) => void, message: string): void {
    const requestId = /"requestId"\s*:\s*"([A-Za-z0-9_.:-]{1,64})"/.exec(message)?.[1] ?? null;
    if (message.includes('"event"')) send({ type: "ack", requestId, ok: false, error: { code: "rate_limited", message: "Too many messages: slow down." } });
  }

  /** The connection a frame came from, for the room to judge it; its client ids are written back to its state. */
  #sender(connection: Connection<SocketState>, state: SocketState): RoomSender {
    let clients = state.clients ?? [];
    return {
      id: connection.id,
      userId: state.userId,
      name: state.name ?? "",
      get clients() {
        return clients;
      },
      claim: (client) => {
        clients = [...clients, client];
        connection.setState({ ...state, clients });
      },
      send: (data) => connection.send(data),
    };
  }

  override onClose(connection: Connection<SocketState>): void {
    const state = connection.state;
    if (isModuleSocket(state)) return;
    if (state?.project) {
      this.#peers.delete(state.project);
      const room = this.#rooms.get(state.project);
      if (room) room.leave(connection.id, state.clients ?? []);
      else if (state.clients?.length) {
        // Woken from hibernation by this close: the room is not loaded, and need not be to say who left.
        const removal = presenceFrame(state.clients.map((client) => ({ client, state: null })));
        for (const peer of this.getConnections<SocketState>(`project:${state.project}`)) {
          if (peer.id !== connection.id && peer.readyState === WebSocket.OPEN) peer.send(removal);
        }
      }
    }
  }

  // A socket that failed may never report its close: list the project's sockets afresh.
  override onError(connection: Connection<SocketState>): void {
    const project = connection.state?.project;
    if (project) this.#peers.delete(project);
  }

  /** A deleted project: its doc dropped from memory and storage, its modules' data too (its sockets are closed with the others that lost access). */
  #dropProject(project: string): void {
    this.#rooms.get(project)?.unload();
    this.#rooms.delete(project);
    this.#peers.delete(project);
    this.#docs.drop(project);
    this.#edits.drop(project);
    this.#host.projectDeleted(project);
  }

  /** Runs modules' alarms and periodic work, compacts grown logs and unloads projects nobody has used for a while. */
  override async onAlarm(): Promise<void> {
    const now = Date.now();
    this.#host.runAlarms(now);
    const idleMs = Number(this.env.GATEWAY_IDLE_MS || 60_000);
    const members = new Set(this.membership().members.map((m) => m.userId));
    for (const [project, room] of this.#rooms) {
      room.runPeriodic(members, now);
      room.compactIfDue();
      const connected = [...this.getConnections(`project:${project}`)].length > 0;
      if (!connected && now - room.lastActive >= idleMs) {
        room.compactIfDue(true);
        room.unload();
        this.#rooms.delete(project);
      }
    }
    await this.#scheduleAlarm(Date.now());
  }

  /** Project ids whose docs are in memory (for tests and diagnostics). */
  loadedProjects(): string[] {
    return [...this.#rooms.keys()];
  }
}
