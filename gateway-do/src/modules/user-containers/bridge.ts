/**
 * The VPN bridge's socket, `/gw/{org}/m/user-containers/bridge`: the worker has checked the
 * bridge's key. On open the bridge gets every route of the org (the gateway's view wins after
 * a restart of either side); then it asks about tokens and reports what OpenVPN and the agents
 * say, each turned into an event through the pipeline as the bridge.
 */
import { type BridgeToGateway, BridgeToGatewaySchema, type GatewayToBridge, parseContainerToken } from "../../../../protocol/containers";
import { type HostContext, type SocketPeer, type SocketSpec, parseFrame } from "../kit";
import { touchActivity } from "./idle";
import { type LiveRow, USER_CONTAINERS, hashOf, liveRow, routeOf } from "./records";

/** A heartbeat that changes nothing reaches the doc at most this often (it refreshes the metrics shown). */
export const METRICS_EVERY_MS = 30_000;

/** States in which a container may use its token. */
const TOKEN_STATES = new Set(["created", "connecting", "running", "unreachable", "stopped"]);

/** Whether `token` is container `container`'s, and its row if so. */
export function checkToken(host: HostContext, container: string, token: string): { ok: true; row: LiveRow } | { ok: false; reason: string } {
  const parsed = parseContainerToken(token);
  if (!parsed || parsed.org !== host.org || parsed.container !== container) return { ok: false, reason: "the token is not this container's" };
  const row = liveRow(host.sql, container);
  const secret = token.slice(token.lastIndexOf(".") + 1);
  if (!row || row.token_hash === null || row.token_hash !== hashOf(secret)) return { ok: false, reason: "unknown or revoked token" };
  if (!TOKEN_STATES.has(row.state)) return { ok: false, reason: `the container is ${row.state}` };
  return { ok: true, row };
}

function answer(peer: SocketPeer, message: GatewayToBridge): void {
  peer.send(message);
}

function runAs(host: HostContext, peer: SocketPeer, row: LiveRow, event: { type: string; [field: string]: unknown }): void {
  const outcome = host.runEvent(row.project, event, peer.principal);
  if (!outcome.ok) console.warn(`user-containers: ${event.type} for ${row.id} refused: ${outcome.error?.code} ${outcome.error?.message}`);
}

function handle(host: HostContext, peer: SocketPeer, message: BridgeToGateway): void {
  if (message.type === "check-token") {
    const check = checkToken(host, message.container, message.token);
    answer(peer, check.ok ? { type: "token-checked", id: message.id, ok: true, address: check.row.address } : { type: "token-checked", id: message.id, ok: false, address: null, reason: check.reason });
    return;
  }
  const row = liveRow(host.sql, message.container);
  if (!row) return; // deleted meanwhile: the bridge was told
  const ref = { container: row.id };
  switch (message.type) {
    case "connected":
      runAs(host, peer, row, { type: `${USER_CONTAINERS}:connected`, ...ref, address: message.address, connection: message.connection });
      return;
    case "disconnected":
      // OpenVPN may let a container in again before it reports the old session gone.
      if (row.connection === message.connection) runAs(host, peer, row, { type: `${USER_CONTAINERS}:disconnected`, ...ref });
      return;
    case "activity":
      touchActivity(host.sql, row.id, host.now);
      return;
    case "report": {
      const { report } = message;
      if (report.kind === "goodbye") return runAs(host, peer, row, { type: `${USER_CONTAINERS}:goodbye`, ...ref });
      host.sql.exec("update user_containers_live set last_seen = ? where id = ?", host.now, row.id);
      const servicesChanged = JSON.stringify(report.services) !== row.services;
      const metricsDue = row.metrics_at === null || host.now - row.metrics_at >= METRICS_EVERY_MS;
      if (row.state !== "running" || servicesChanged || metricsDue) {
        runAs(host, peer, row, { type: `${USER_CONTAINERS}:report`, ...ref, services: report.services, metrics: report.metrics });
      }
      return;
    }
  }
}

export const bridgeSocket: SocketSpec = {
  path: "/bridge",
  principals: ["bridge"],
  onOpen: (host, peer) => {
    const rows = host.sql.exec<LiveRow>("select * from user_containers_live").toArray();
    answer(peer, { type: "snapshot", org: host.org, routes: rows.map(routeOf) });
  },
  onMessage: (host, peer, text) => {
    const parsed = parseFrame(text, BridgeToGatewaySchema);
    if (!parsed.ok) return answer(peer, { type: "error", error: parsed.error });
    handle(host, peer, parsed.data);
  },
};
