/**
 * GatewayDO: one Durable Object per organization, addressed by `idFromName(orgId)`.
 * It keeps the org's membership as the worker pushes it (SQLite), admits WebSockets to
 * `/gw/{org}/projects/{project}/ws?token=…` only with a valid gateway token for a member
 * who may see the project, and closes their sockets at once when a push takes that away.
 * It will hold the org's project documents, events, permissions and containers.
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import { type TokenCheck, parseSocketPath, verifyGatewayToken } from "./auth";
import { type MembershipSnapshot, MembershipSnapshotSchema, type OrgRole, type ProjectRole, accessDeniedReason, projectAccess } from "./membership";
import { migrateMembership, readMembership, storedVersion, writeMembership } from "./membership-store";

export interface GatewayStatus {
  org: string;
  connections: number;
}

/** What each admitted socket carries in its attachment, so it survives hibernation. */
export interface SocketState {
  userId: string;
  project: string;
  roles: { org: OrgRole; project: ProjectRole | null };
}

/** What a push did: applied (closing `closed` sockets), or refused and why. Never thrown, so the caller decides. */
export type SyncResult =
  | { applied: true; version: number; closed: number }
  | { applied: false; reason: "stale"; version: number }
  | { applied: false; reason: "invalid"; message: string };

/** WebSocket close codes: the token is missing, invalid or expired; the user may not (or no longer) be here. */
export const CLOSE_UNAUTHENTICATED = 4001;
export const CLOSE_FORBIDDEN = 4003;

export class GatewayDO extends Server<Env> {
  // Idle sockets hibernate: the object can leave memory while clients stay connected.
  static override options = { hibernate: true };

  /** Token checks made while tagging a socket, read once when it connects (same request, never across hibernation). */
  readonly #pendingChecks = new Map<string, TokenCheck>();
  /** Cache of the stored snapshot; rebuilt from SQLite after eviction. */
  #snapshot: MembershipSnapshot | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrateMembership(ctx.storage.sql);
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
    this.ctx.storage.transactionSync(() => writeMembership(this.ctx.storage.sql, snapshot));
    this.#snapshot = snapshot;
    let closed = 0;
    for (const connection of this.getConnections<SocketState>()) {
      const state = connection.state;
      if (!state) continue; // refused at connect, already closing
      const access = projectAccess(snapshot, state.userId, state.project);
      if (access.ok) {
        connection.setState({ ...state, roles: access.roles });
      } else {
        connection.close(CLOSE_FORBIDDEN, accessDeniedReason(access.reason, true));
        closed++;
      }
    }
    return { applied: true, version: snapshot.version, closed };
  }

  override async fetch(request: Request): Promise<Response> {
    const isSocket = request.headers.get("upgrade")?.toLowerCase() === "websocket";
    if (isSocket && !parseSocketPath(new URL(request.url).pathname)) {
      return Response.json({ error: { code: "not_found", message: "Connect to /gw/{org}/projects/{project}/ws?token=…" } }, { status: 404 });
    }
    return super.fetch(request);
  }

  // Tags are fixed when the socket is accepted, so the token is verified here, before onConnect.
  override async getConnectionTags(connection: Connection, ctx: ConnectionContext): Promise<string[]> {
    const url = new URL(ctx.request.url);
    const path = parseSocketPath(url.pathname)!; // fetch() refused every other path
    const check = await verifyGatewayToken(url.searchParams.get("token"), this.env.JWT_PRIVATE_KEY, { org: this.name, project: path.project });
    this.#pendingChecks.set(connection.id, check);
    return check.ok ? [`user:${check.claims.sub}`, `project:${path.project}`] : ["refused"];
  }

  // Accept, then close with a code and reason: a browser cannot read an HTTP refusal of a WebSocket.
  override onConnect(connection: Connection<SocketState>): void {
    const check = this.#pendingChecks.get(connection.id);
    this.#pendingChecks.delete(connection.id);
    if (!check?.ok) {
      connection.close(CLOSE_UNAUTHENTICATED, check?.reason ?? "invalid token");
      return;
    }
    const { sub: userId, project } = check.claims;
    const access = projectAccess(this.membership(), userId, project);
    if (!access.ok) {
      connection.close(CLOSE_FORBIDDEN, accessDeniedReason(access.reason, false));
      return;
    }
    connection.setState({ userId, project, roles: access.roles });
  }

  override onRequest(request: Request): Response {
    const action = new URL(request.url).pathname.split("/").at(-1);
    if (request.method === "GET" && action === "ping") return Response.json({ pong: true, ...this.status() });
    return Response.json({ error: { code: "not_found", message: `The gateway has no ${request.method} ${action ?? ""}.` } }, { status: 404 });
  }

  override onMessage(connection: Connection, message: WSMessage): void {
    if (message === "ping") {
      connection.send(JSON.stringify({ type: "pong", ...this.status() }));
      return;
    }
    connection.send(JSON.stringify({ type: "error", error: { code: "unknown_message", message: "The gateway only answers \"ping\" for now." } }));
  }
}
