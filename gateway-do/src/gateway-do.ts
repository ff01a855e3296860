/**
 * GatewayDO: one Durable Object per organization, addressed by `idFromName(orgId)`.
 * It will hold the org's project documents, events, permissions and containers; for now
 * it answers a ping and reports the connections it holds.
 */
import { Server, type Connection, type WSMessage } from "partyserver";

export interface GatewayStatus {
  org: string;
  connections: number;
}

export class GatewayDO extends Server<Env> {
  // Idle sockets hibernate: the object can leave memory while clients stay connected.
  static override options = { hibernate: true };

  /** What the gateway reports about itself. */
  status(): GatewayStatus {
    return { org: this.name, connections: [...this.getConnections()].length };
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
