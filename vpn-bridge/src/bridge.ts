/**
 * The bridge's state and rules, joined: what OpenVPN reports (sessions, addresses), what
 * the gateways say (routes, revocations, commands), and what containers and visitors ask.
 * No servers or processes here (main.ts starts those), so a test can drive it whole.
 */
import { parseContainerToken, type AgentReport, type AgentReportAnswer, type GatewayToBridge } from "../../protocol/containers.ts";
import { VisitorActivity } from "./activity.ts";
import type { AddressBook } from "./addresses.ts";
import type { Gateways } from "./gateway-client.ts";
import { log, warn } from "./log.ts";
import { clientAuthCommand, clientAuthNoConfigCommand, clientDenyCommand, clientKillCommand, type ClientEvent } from "./management-parse.ts";
import { tokenHash } from "./report.ts";
import type { RouteTable } from "./routes.ts";
import type { Sessions } from "./sessions.ts";
import { netmask, type Subnet } from "./subnet.ts";

export type TokenVerdict = { ok: true; org: string; container: string; address: string | null } | { ok: false; status: 401 | 403 | 503; reason: string };

export interface BridgeParts {
  subnet: Subnet;
  routes: RouteTable;
  sessions: Sessions;
  addresses: AddressBook;
  gateways: Gateways;
  /** Writes a command to OpenVPN's management interface. */
  management: (command: string) => void;
  /** Keeps the revocations (after a `revoke-users`). */
  saveRevocations?: () => Promise<void>;
  /** How often a container's visitor activity may go to its gateway (a minute). */
  activityEveryMs?: number;
}

export class Bridge {
  /** A command from the board waiting for the container's next report. */
  private readonly commands = new Map<string, "stop" | "restart">();
  /** Connections whose CONNECT is being checked, and those of them OpenVPN dropped meanwhile. */
  private readonly authorizing = new Set<string>();
  private readonly abandoned = new Set<string>();
  /** Visitors' use of containers, sent to their gateways at most once a minute each. */
  readonly activity: VisitorActivity;

  constructor(private readonly parts: BridgeParts) {
    this.activity = new VisitorActivity((org, container) => this.parts.gateways.link(org)?.send({ type: "activity", container }), parts.activityEveryMs);
  }

  /** Checks a container token with its org's gateway (the org is read from the token). */
  async checkToken(token: string, purpose: "profile" | "vpn" | "report", claimedContainer?: string): Promise<TokenVerdict> {
    const parsed = parseContainerToken(token);
    if (!parsed) return { ok: false, status: 401, reason: "not a container token (kct.{org}.{container}.{secret})" };
    if (claimedContainer !== undefined && claimedContainer !== parsed.container) {
      return { ok: false, status: 403, reason: `the token is container ${parsed.container}'s, not ${claimedContainer}'s` };
    }
    const link = this.parts.gateways.link(parsed.org);
    if (!link) return { ok: false, status: 503, reason: "the bridge cannot reach this org's gateway now" };
    const check = await link.checkToken(parsed.container, token, purpose);
    if (!check.ok) return { ok: false, status: check.reason === "the gateway did not answer in time" || check.reason === "the gateway connection was lost" ? 503 : 401, reason: check.reason };
    return { ok: true, org: parsed.org, container: parsed.container, address: check.address };
  }

  /** One client event from OpenVPN's management interface. */
  async onClientEvent(event: ClientEvent): Promise<void> {
    const { sessions } = this.parts;
    const container = event.env.username ?? event.env.common_name ?? "";
    switch (event.kind) {
      case "CONNECT":
      case "REAUTH": {
        const kid = event.kid ?? "0";
        this.authorizing.add(event.cid);
        const verdict = await this.checkToken(event.env.password ?? "", "vpn", container).finally(() => this.authorizing.delete(event.cid));
        // The client gave up while the gateway was asked: nothing to answer, no session to keep.
        if (this.abandoned.delete(event.cid)) return;
        if (!verdict.ok) {
          log(`VPN ${event.kind.toLowerCase()} of ${container || "(no username)"} from ${event.env.untrusted_ip ?? "?"} refused: ${verdict.reason}`);
          return this.parts.management(clientDenyCommand(event.cid, kid, verdict.reason));
        }
        if (event.kind === "REAUTH" && sessions.of(container)?.cid === event.cid) return this.parts.management(clientAuthNoConfigCommand(event.cid, kid));
        const address = await this.parts.addresses.allocate(container, verdict.address, (c) => sessions.isActive(c));
        if (address === null) {
          warn(`VPN subnet full: container ${container} refused; widen KILN_VPN_SUBNET`);
          return this.parts.management(clientDenyCommand(event.cid, kid, "no free VPN address"));
        }
        const superseded = sessions.admit({ cid: event.cid, container, org: verdict.org, address, tokenHash: tokenHash(event.env.password ?? "") });
        log(`VPN: container ${container} (org ${verdict.org}) let in as ${address}, connection ${event.cid}${superseded ? ` (replaces connection ${superseded})` : ""}`);
        return this.parts.management(clientAuthCommand(event.cid, kid, address, netmask(this.parts.subnet)));
      }
      case "ESTABLISHED": {
        const session = sessions.establish(event.cid);
        if (!session) return;
        this.parts.gateways.link(session.org)?.send({ type: "connected", container: session.container, connection: session.cid, address: session.address });
        return;
      }
      case "DISCONNECT": {
        if (this.authorizing.has(event.cid)) this.abandoned.add(event.cid);
        const dropped = sessions.drop(event.cid);
        if (!dropped) return;
        const { session, current } = dropped;
        if (!current) return log(`VPN: old connection ${event.cid} of container ${session.container} ended (a newer one is on)`);
        log(`VPN: container ${session.container} left (connection ${event.cid}, ${event.env.time_duration ?? "?"} s)`);
        this.parts.gateways.link(session.org)?.send({ type: "disconnected", container: session.container, connection: session.cid });
        return;
      }
    }
  }

  /** A frame from `org`'s gateway. */
  async onGatewayMessage(org: string, message: GatewayToBridge): Promise<void> {
    const { routes, sessions, addresses } = this.parts;
    switch (message.type) {
      case "snapshot": {
        routes.replace(org, message.routes);
        const known = new Set(message.routes.map((r) => r.container));
        for (const route of message.routes) if (route.address) await addresses.adopt(route.container, route.address, (c) => sessions.isActive(c));
        // The gateway's view wins: a session of a container it no longer has is ended.
        for (const session of sessions.ofOrg(org)) if (!known.has(session.container)) this.dropContainer(org, session.container, "not in the gateway's snapshot");
        return;
      }
      case "route":
        routes.set(org, message.route);
        if (message.route.address) await addresses.adopt(message.route.container, message.route.address, (c) => sessions.isActive(c));
        return;
      case "removed":
        routes.remove(org, message.container);
        this.activity.forget(message.container);
        this.dropContainer(org, message.container, "deleted");
        await addresses.forget(message.container);
        return;
      case "revoke-users":
        routes.revoke(org, message.users, message.at);
        await this.parts.saveRevocations?.();
        return;
      case "command":
        if (routes.get(org, message.container) || sessions.of(message.container)?.org === org) this.commands.set(message.container, message.command);
        return;
      case "token-checked":
        return; // answered inside the link
    }
  }

  /** Ends every VPN connection of a container of `org`. */
  private dropContainer(org: string, container: string, why: string): void {
    this.commands.delete(container);
    const session = this.parts.sessions.of(container);
    if (session && session.org !== org) return;
    for (const cid of this.parts.sessions.cidsOf(container)) {
      log(`VPN: ending connection ${cid} of container ${container} (${why})`);
      this.parts.management(clientKillCommand(cid));
    }
  }

  /** The gateway's socket (re)opened: it hears again which containers are on the VPN. */
  onGatewayOpen(org: string): void {
    const link = this.parts.gateways.link(org);
    for (const session of this.parts.sessions.ofOrg(org)) link?.send({ type: "connected", container: session.container, connection: session.cid, address: session.address });
  }

  /** A container's report: relayed to its gateway; the answer carries the command waiting for it. */
  relayReport(session: { org: string; container: string }, report: AgentReport): AgentReportAnswer {
    this.parts.gateways.link(session.org)?.send({ type: "report", container: session.container, report });
    // Typing in a terminal rides on a socket Nginx checked only when it opened: the agent tells.
    if (report.visitorInput) this.activity.touch(session.org, session.container);
    const command = this.commands.get(session.container) ?? null;
    this.commands.delete(session.container);
    return { command };
  }
}
