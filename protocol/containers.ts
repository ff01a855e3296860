/**
 * User containers: what the gateway, the worker, the VPN bridge, the in-container agent and
 * the SPA say to each other about them. One place for the names (hosts, tokens, states,
 * services), so a host the bridge parses is the host the worker and the SPA build.
 *
 * Who talks to whom:
 * - agent → bridge (HTTP): `GET /v1/profile` over the public network, then `POST /v1/report`
 *   over the VPN, both with `Authorization: Bearer <container token>`;
 * - bridge ↔ gateway: one WebSocket per organization, `/gw/{org}/m/user-containers/bridge`,
 *   `Authorization: Bearer <bridge key>` (`BridgeToGateway`, `GatewayToBridge`);
 * - bridge ↔ worker (HTTP, bridge key): `GET /api/bridge/orgs`, the organizations pinned to it;
 * - visitor: `uc-{container}[--{service}].org-{org}.{domain}` → Nginx → the bridge's
 *   `auth_request`; without a cookie, `GET {app}/api/containers/open?host=&path=` (the worker
 *   checks the session, the gateway the permission) → `/_kiln/callback?ticket=` on the host.
 */
import { z } from "zod";

/** A container's id: 12 lower-case letters and digits, so it fits a host name as is. */
export const ContainerIdSchema = z.string().regex(/^[a-z0-9]{12}$/, "a container id is 12 lower-case letters and digits");
export const CONTAINER_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A container's life: explicit transitions only (see gateway-do's `user-containers/machine.ts`). */
export const CONTAINER_STATES = ["created", "connecting", "running", "unreachable", "stopped", "deleted"] as const;
export const ContainerStateSchema = z.enum(CONTAINER_STATES);
export type ContainerState = z.infer<typeof ContainerStateSchema>;

/** Who may open a container's services: its owner, the members of its project, of its org, or anyone with the link. */
export const SHARE_LEVELS = ["owner", "project", "org", "link"] as const;
export const ShareLevelSchema = z.enum(SHARE_LEVELS);
export type ShareLevel = z.infer<typeof ShareLevelSchema>;

/** A service name: a host label part (`uc-{id}--{service}`), so lower-case, no double dash. */
export const ServiceNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "a service name is lower-case letters, digits and single dashes, starting with a letter")
  .max(24);

/** A path on a container host to send a visitor back to after signing in (no `//`, query or fragment). */
export const RedirectPathSchema = z
  .string()
  .max(500)
  .regex(/^\/(?!\/)[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, "a redirect path starts with a single / and has no query or fragment");

/**
 * A service a container offers: a name, the port it listens on inside the container, and what it
 * speaks. `oidc`: the app signs its visitors in with the org's OpenID Connect provider (gateway
 * module `oidc`), as client `uc-{container}--{service}` with this redirect path on its own host.
 */
export const ServiceSchema = z.strictObject({
  name: ServiceNameSchema,
  port: z.int().min(1).max(65535),
  protocol: z.enum(["http", "tcp"]),
  oidc: z.strictObject({ redirectPath: RedirectPathSchema }).optional(),
  /**
   * The service runs what its visitors send (a notebook server): opening it is running code in
   * the container, so only those who may type in its terminal open it (its owner, or
   * `:terminal`); a member who may merely open the container, or a link visitor, is refused.
   */
  runsCode: z.literal(true).optional(),
});
export type Service = z.infer<typeof ServiceSchema>;

const Bytes = z.number().nonnegative().max(2 ** 53);

/** What a heartbeat says about the container's machine. */
export const MetricsSchema = z.strictObject({
  /** CPU use over the last interval, 0–100 × cores. */
  cpuPercent: z.number().nonnegative().max(100_000),
  memory: z.strictObject({ used: Bytes, total: Bytes }),
  disk: z.strictObject({ used: Bytes, total: Bytes }),
  gpus: z.array(z.strictObject({ name: z.string().max(120), utilPercent: z.number().min(0).max(100), memoryUsed: Bytes, memoryTotal: Bytes })).max(16),
});
export type Metrics = z.infer<typeof MetricsSchema>;

/** A container as the project doc holds it (the board shows it; secrets never go here). */
export const ContainerRecordSchema = z.strictObject({
  id: ContainerIdSchema,
  name: z.string().min(1).max(80),
  image: z.string().min(1).max(200),
  /** The user who created it. */
  owner: z.string(),
  project: z.string(),
  state: ContainerStateSchema,
  share: ShareLevelSchema,
  /** Its address on the org's VPN once it has joined, e.g. 172.16.0.10. */
  address: z.string().nullable(),
  services: z.array(ServiceSchema).max(32),
  metrics: MetricsSchema.nullable(),
  /** When the state last changed, ms since the epoch. */
  since: z.number(),
  /** When the gateway last heard from it (a heartbeat, a connect), ms since the epoch, or null. */
  lastSeen: z.number().nullable(),
  createdAt: z.number(),
  /** Set when the gateway stopped it for idleness (the org's setting then, in minutes); gone once it runs again. */
  stoppedIdle: z.strictObject({ minutes: z.int().min(1) }).optional(),
});
export type ContainerRecord = z.infer<typeof ContainerRecordSchema>;

// ── Tokens ────────────────────────────────────────────────────────────────────────────────

/**
 * A container token: `kct.{org}.{container}.{secret}`. The org and container are named so the
 * bridge knows which gateway to ask; only the secret's SHA-256 is stored, in the gateway.
 * It lets a container fetch its VPN profile, join the VPN as itself and report; nothing else.
 */
export const CONTAINER_TOKEN_PREFIX = "kct";
const CONTAINER_TOKEN = /^kct\.([0-9a-f-]{36})\.([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/;

export function parseContainerToken(token: string): { org: string; container: string } | null {
  const match = CONTAINER_TOKEN.exec(token);
  return match ? { org: match[1]!, container: match[2]! } : null;
}

export function formatContainerToken(org: string, container: string, secret: string): string {
  return `${CONTAINER_TOKEN_PREFIX}.${org}.${container}.${secret}`;
}

/**
 * A declared OpenID Connect client's secret (a service with `oidc`), derived so that the
 * container token itself is accepted nowhere but the bridge: base64url (no padding) of
 * HMAC-SHA256, keyed with the lower-case hex SHA-256 of the token's secret part (as UTF-8),
 * over `OIDC_SECRET_LABEL` + the client id. The agent computes it from its token, the gateway
 * from the token's stored hash; a new launch token changes it.
 */
export const OIDC_SECRET_LABEL = "kiln-oidc-client:";

/** A bridge key, as the bridge sends it: `kbr_` and the secret the worker holds (BRIDGE_KEY). */
export const BRIDGE_KEY_PREFIX = "kbr_";

/**
 * What a visitor may do, as the gateway decided (`user-containers:[user-container:{id}]:terminal`
 * or the container's owner → `write`; anyone else let in → `read`), carried by the ticket and
 * the cookie, and told to the app in `X-Kiln-Access`.
 */
export const VISITOR_ACCESS = ["write", "read"] as const;
export const VisitorAccessSchema = z.enum(VISITOR_ACCESS);
export type VisitorAccess = z.infer<typeof VisitorAccessSchema>;

/**
 * The headers the bridge's Nginx sets on every request it proxies to a container, from the
 * bridge's own check of the visitor (what the visitor sent under these names is dropped).
 * An app believes them only from the bridge's VPN address: everything through Nginx comes
 * from there. `user` is absent for a visitor let in by a link without signing in.
 */
export const VISITOR_HEADERS = { user: "X-Kiln-User", access: "X-Kiln-Access" } as const;

/**
 * A visitor ticket (HS256, signed by the worker with the bridge key, good for 60 s, used once):
 * the gateway allowed `sub` to open `aud`, a container host.
 */
export const VisitorTicketClaimsSchema = z.object({
  sub: z.string(),
  /** The container host the ticket is for. */
  aud: z.string(),
  org: z.uuid(),
  container: ContainerIdSchema,
  /** What the visitor may do in the container's apps that ask (the terminal): type, or only watch. */
  access: VisitorAccessSchema,
  jti: z.string().min(16),
  exp: z.number(),
});
export type VisitorTicketClaims = z.infer<typeof VisitorTicketClaimsSchema>;
export const VISITOR_TICKET_TTL_S = 60;
/** The cookie the bridge sets for one container host (host-only, HttpOnly, SameSite=Lax); stripped before the app. */
export const VISITOR_COOKIE = "kiln_uc";

// ── Hosts ─────────────────────────────────────────────────────────────────────────────────

/** A container's address for visitors: `uc-{container}[--{service}].org-{org}.{domain}`. */
export interface ContainerHost {
  container: string;
  service: string | null;
  org: string;
  domain: string;
}

const HOST = /^uc-([a-z0-9]{12})(?:--([a-z][a-z0-9]*(?:-[a-z0-9]+)*))?\.org-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(.+)$/;

/** Reads a container host (a port, if any, is ignored); null when it is not one. */
export function parseContainerHost(host: string): ContainerHost | null {
  const name = host.toLowerCase().replace(/:\d+$/, "");
  const match = HOST.exec(name);
  if (!match) return null;
  return { container: match[1]!, service: match[2] ?? null, org: match[3]!, domain: match[4]! };
}

export function formatContainerHost(host: ContainerHost): string {
  return `uc-${host.container}${host.service ? `--${host.service}` : ""}.org-${host.org}.${host.domain}`;
}

// ── Agent → bridge ────────────────────────────────────────────────────────────────────────

/** What the agent reports over the VPN every 5 s (and at once when a service starts listening). */
export const AgentReportSchema = z.strictObject({
  /** "beat": alive; "goodbye": stopping now (SIGTERM), so the board shows `stopped` at once. */
  kind: z.enum(["beat", "goodbye"]),
  services: z.array(ServiceSchema).max(32),
  metrics: MetricsSchema.nullable(),
  /**
   * A visitor typed in one of its terminals since the previous report: activity
   * the bridge cannot see, as it rides on a WebSocket Nginx checked only when it opened.
   */
  visitorInput: z.boolean().optional(),
});
export type AgentReport = z.infer<typeof AgentReportSchema>;

/** The bridge's answer to a report: a command for the agent, relayed from the board (stop, restart its services), or null. */
export const AgentReportAnswerSchema = z.strictObject({ command: z.enum(["stop", "restart"]).nullable() });
export type AgentReportAnswer = z.infer<typeof AgentReportAnswerSchema>;

/** `GET {KILN_BRIDGE}/v1/profile`: the OpenVPN client config (CA, tls-crypt key, remote) and where to report once joined. */
export const AgentProfileSchema = z.strictObject({
  ovpn: z.string(),
  /** e.g. `http://172.16.0.1:9001/v1/report`: on the VPN, so the bridge also knows the sender by its address. */
  reportUrl: z.string(),
  /** The org's OpenID Connect issuer (`{app}/oidc/{org}`), for services that declare `oidc`. */
  oidcIssuer: z.string().optional(),
});
export type AgentProfile = z.infer<typeof AgentProfileSchema>;

/** The environment of a container, as the launch command sets it. */
export const AGENT_ENV = { container: "KILN_CONTAINER", token: "KILN_TOKEN", bridge: "KILN_BRIDGE" } as const;

// ── Bridge ↔ gateway (one WebSocket per org, JSON text frames) ────────────────────────────

/** What the bridge tells the gateway. Requests carry an `id` the answer repeats. */
export const BridgeToGatewaySchema = z.discriminatedUnion("type", [
  /** Is this the container's token? `purpose` says what for (a profile, joining the VPN, a report). */
  z.strictObject({ type: z.literal("check-token"), id: z.string().max(64), container: ContainerIdSchema, token: z.string().max(200), purpose: z.enum(["profile", "vpn", "report"]) }),
  /** OpenVPN let the container in with this address; `connection` is OpenVPN's client id (a new one may come before the old one's disconnect). */
  z.strictObject({ type: z.literal("connected"), container: ContainerIdSchema, connection: z.string().max(32), address: z.string().max(45) }),
  z.strictObject({ type: z.literal("disconnected"), container: ContainerIdSchema, connection: z.string().max(32) }),
  z.strictObject({ type: z.literal("report"), container: ContainerIdSchema, report: AgentReportSchema }),
  /** A visitor used the container (a request through Nginx, or typing in its terminal): at most once a minute per container. */
  z.strictObject({ type: z.literal("activity"), container: ContainerIdSchema }),
]);
export type BridgeToGateway = z.infer<typeof BridgeToGatewaySchema>;

/** Where the bridge routes a container's hosts, and who may open them. */
export const BridgeRouteSchema = z.strictObject({
  container: ContainerIdSchema,
  owner: z.string(),
  share: ShareLevelSchema,
  state: ContainerStateSchema,
  address: z.string().nullable(),
  services: z.array(ServiceSchema),
  /** Raised when who may open it changes (share level, owner): cookies minted before are void. */
  accessEpoch: z.number().int(),
});
export type BridgeRoute = z.infer<typeof BridgeRouteSchema>;

/** What the gateway tells the bridge. */
export const GatewayToBridgeSchema = z.discriminatedUnion("type", [
  /**
   * On connect: every container of the org the gateway knows, with the address it was given.
   * The gateway's view wins: the bridge replaces what it held for the org (no lost routes).
   */
  z.strictObject({ type: z.literal("snapshot"), org: z.uuid(), routes: z.array(BridgeRouteSchema) }),
  /** A container's route changed (state, services, share). */
  z.strictObject({ type: z.literal("route"), route: BridgeRouteSchema }),
  /** A container was deleted: drop its routes, cookies and VPN session. */
  z.strictObject({ type: z.literal("removed"), container: ContainerIdSchema }),
  /** These users' cookies for the org's containers are void from now on (they left, or lost access). */
  z.strictObject({ type: z.literal("revoke-users"), users: z.array(z.string()).max(1000), at: z.number() }),
  /** The answer to `check-token`; `address` is the VPN address the container must get (stable across restarts). */
  z.strictObject({ type: z.literal("token-checked"), id: z.string().max(64), ok: z.boolean(), address: z.string().nullable(), reason: z.string().optional() }),
  /** A frame the gateway could not read (the bridge logs it: a version mismatch, a bug). */
  z.strictObject({ type: z.literal("error"), error: z.strictObject({ code: z.string(), message: z.string() }) }),
  /** Tell the agent to stop or restart its services (relayed over the VPN). */
  z.strictObject({ type: z.literal("command"), container: ContainerIdSchema, command: z.enum(["stop", "restart"]) }),
]);
export type GatewayToBridge = z.infer<typeof GatewayToBridgeSchema>;

// ── The image catalog ─────────────────────────────────────────────────────────────────────

export const CatalogImageSchema = z.strictObject({
  /** The image reference for `docker run`, e.g. `localhost/kiln-jupyter:1`. */
  image: z.string(),
  name: z.string(),
  description: z.string(),
  services: z.array(ServiceSchema),
  /** `key:value` tags the dialog searches, e.g. `lang:python`. */
  tags: z.array(z.string().regex(/^[a-z0-9-]+:[a-z0-9.+-]+$/)),
});
export type CatalogImage = z.infer<typeof CatalogImageSchema>;
