/** `POST /api/orgs/{org}/projects/{project}/connect`: a 5-minute token for the project's gateway socket. */
import { type GatewayTicket, GatewayTicketSchema } from "../../../protocol/api/orgs";
import { ErrorBodySchema } from "../../../protocol/errors";

export type { GatewayTicket };

/** Why a ticket could not be had: `denied` ends the session (no access), anything else is worth retrying. */
export class TicketError extends Error {
  constructor(
    readonly kind: "denied" | "retry",
    message: string,
  ) {
    super(message);
  }
}

/** Asks the worker for a fresh gateway token. */
export async function fetchTicket(org: string, project: string): Promise<GatewayTicket> {
  let res: Response;
  try {
    res = await fetch(`/api/orgs/${encodeURIComponent(org)}/projects/${encodeURIComponent(project)}/connect`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: "{}",
    });
  } catch {
    throw new TicketError("retry", "The API cannot be reached.");
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const ticket = GatewayTicketSchema.safeParse(body);
    if (ticket.success) return ticket.data;
    throw new TicketError("retry", "The API answered the connect request with something unexpected.");
  }
  const message = ErrorBodySchema.safeParse(body).data?.error.message ?? `The API answered ${res.status}.`;
  if (res.status === 401) throw new TicketError("denied", "You are signed out: sign in again to open this project.");
  if (res.status === 403 || res.status === 404) throw new TicketError("denied", message);
  throw new TicketError("retry", message);
}
