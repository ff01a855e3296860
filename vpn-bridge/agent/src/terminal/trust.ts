/**
 * Who is at the other end of a request to the PTY server, and what they may do. Only the
 * bridge's Nginx knows (it checked the visitor's cookie and set `X-Kiln-User` and
 * `X-Kiln-Access`, dropping whatever the visitor sent under those names); everything through
 * it comes from the bridge's VPN address. Anyone else (a process in this container, a
 * neighbour on the user's docker network) could write those headers too: refused outright.
 */
import { VISITOR_HEADERS, VisitorAccessSchema, type VisitorAccess } from "../../../../protocol/containers.ts";

export type Visitor = { kind: "visitor"; user: string | null; access: VisitorAccess } | { kind: "untrusted"; reason: string };

type Headers = Record<string, string | string[] | undefined>;

/** An IPv4 address as a socket reports it (`::ffff:172.16.0.1` on a dual-stack listener → `172.16.0.1`). */
export function plainAddress(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}

function single(headers: Headers, name: string): string | null {
  const value = headers[name.toLowerCase()];
  return typeof value === "string" ? value : null;
}

/** The visitor a request stands for, believed only from `bridgeAddress` (null: nobody is believed). */
export function identify(remoteAddress: string | undefined, headers: Headers, bridgeAddress: string | null): Visitor {
  if (bridgeAddress === null) return { kind: "untrusted", reason: "the agent does not know the bridge's address" };
  const from = plainAddress(remoteAddress);
  if (from !== bridgeAddress) return { kind: "untrusted", reason: `${from || "an unknown address"} is not the bridge (${bridgeAddress})` };
  const user = single(headers, VISITOR_HEADERS.user);
  // A bridge that says nothing of access (an older one) gets the safe answer: watch.
  const access = VisitorAccessSchema.safeParse(single(headers, VISITOR_HEADERS.access));
  return { kind: "visitor", user: user && user.length <= 200 ? user : null, access: access.success ? access.data : "read" };
}

/** Whether a visitor's keystrokes reach the shell. */
export const mayType = (access: VisitorAccess): boolean => access === "write";
