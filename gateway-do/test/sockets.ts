/** Helpers for gateway tests: open a project socket through the worker, wait for messages and closes, push memberships. */
import { SELF, env } from "cloudflare:test";
import { getServerByName } from "partyserver";
import { expect } from "vitest";
import type { MembershipSnapshot } from "../src/membership";

export interface Closed {
  code: number;
  reason: string;
}

/** Opens `/gw/{org}/projects/{project}/ws?token=…` as a browser would and accepts the client end. */
export async function openSocket(org: string, project: string, token?: string): Promise<WebSocket> {
  const query = token === undefined ? "?json=1" : `?token=${encodeURIComponent(token)}&json=1`;
  const res = await SELF.fetch(`http://kiln.test/gw/${org}/projects/${project}/ws${query}`, { headers: { upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  return ws;
}

/** The next JSON (text) message on the socket; binary Yjs frames are skipped. */
export function nextMessage<T = Record<string, unknown>>(ws: WebSocket): Promise<T> {
  return new Promise((resolve) => {
    const listener = (e: MessageEvent) => {
      if (typeof e.data !== "string") return;
      ws.removeEventListener("message", listener);
      resolve(JSON.parse(e.data) as T);
    };
    ws.addEventListener("message", listener);
  });
}

/** Resolves when the server closes the socket, with its code and reason; rejects after `ms`. */
export function closed(ws: WebSocket, ms = 5000): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket not closed within ${ms} ms`)), ms);
    ws.addEventListener("close", (e) => {
      clearTimeout(timer);
      resolve({ code: e.code, reason: e.reason });
    }, { once: true });
  });
}

/** Sends `{"type":"ping"}` and returns the pong with the gateway's status: proof the socket is open and admitted. */
export async function ping(ws: WebSocket): Promise<{ type: string; org: string; connections: number }> {
  const reply = nextMessage<{ type: string; org: string; connections: number }>(ws);
  ws.send(JSON.stringify({ type: "ping" }));
  return reply;
}

/** Pushes a membership snapshot to the org's gateway over RPC, as the worker does. */
export async function pushSnapshot(snapshot: MembershipSnapshot | Record<string, unknown>) {
  const gateway = await getServerByName(env.GATEWAY, String(snapshot.org));
  return gateway.syncMembership(snapshot);
}

/** The membership the org's gateway holds. */
export async function storedSnapshot(org: string): Promise<MembershipSnapshot> {
  const gateway = await getServerByName(env.GATEWAY, org);
  return gateway.membership();
}

let version = Date.now() * 1000;
/** An increasing snapshot version, like the worker's Postgres clock. */
export function nextVersion(): number {
  return ++version;
}
