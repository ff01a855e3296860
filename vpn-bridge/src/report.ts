/**
 * Who is reporting: the VPN address a report comes from names the container (OpenVPN drops
 * packets whose source is not the address it pushed), and the token must be that
 * container's. Pure, so the source-address rule is tested without a tunnel.
 */
import { createHash } from "node:crypto";
import { parseContainerToken } from "../../protocol/containers.ts";
import type { Session } from "./sessions.ts";

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export type ReporterCheck =
  | { kind: "known"; session: Session }
  /** The address and token agree, but the token is not the one the session joined with: ask the gateway. */
  | { kind: "check"; session: Session }
  | { kind: "refused"; status: 401 | 403 | 503; code: string; message: string };

/** Decides who sent a report from `session` (the established session at the source address, if any) and the token. */
export function identifyReporter(session: Session | undefined, sourceAddress: string, token: string | null): ReporterCheck {
  const parsed = token === null ? null : parseContainerToken(token);
  if (token === null || !parsed) return { kind: "refused", status: 401, code: "invalid_token", message: "Send the container token as Authorization: Bearer kct.…" };
  // No session at the address yet: the agent's first report can outrun OpenVPN's ESTABLISHED on
  // the bridge. 503 says "again shortly"; a refusal would make the agent give up its container.
  if (!session) return { kind: "refused", status: 503, code: "not_on_vpn", message: `No container holds the VPN address ${sourceAddress} yet: report over the VPN, from the address the bridge gave; try again shortly.` };
  if (parsed.container !== session.container || parsed.org !== session.org) {
    return { kind: "refused", status: 403, code: "wrong_container", message: `The VPN address ${sourceAddress} is another container's.` };
  }
  return session.tokenHash === tokenHash(token) ? { kind: "known", session } : { kind: "check", session };
}
