/** Fixtures of the user-containers tests: a created container, the bridge's socket as the worker opens it, a record read from storage. */
import { env, runInDurableObject } from "cloudflare:test";
import { getServerByName } from "partyserver";
import { expect } from "vitest";
import { type ContainerRecord, type GatewayToBridge, GatewayToBridgeSchema } from "../../protocol/containers";
import { orgWithProjects } from "./fixtures";

const uuid = () => crypto.randomUUID();
export const gatewayOf = (org: string) => getServerByName(env.GATEWAY, org);

/** A container created by alice in project a, with its token. */
export async function created(options: { share?: string } = {}) {
  const setup = await orgWithProjects();
  const stub = await gatewayOf(setup.org);
  const ack = await stub.applyEvent(setup.projects.a, setup.people.alice, { type: "user-containers:create", requestId: uuid(), name: "lab", image: "localhost/kiln-jupyter:1", ...options });
  expect(ack).toMatchObject({ ok: true });
  const { container, token } = (ack as unknown as { result: { container: ContainerRecord; token: string } }).result;
  return { ...setup, stub, container, token };
}

/** The bridge's socket on the gateway, as the worker opens it (the principal named in its header). */
export async function bridgeSocket(org: string) {
  const stub = await gatewayOf(org);
  const res = await stub.fetch(new Request(`http://gw/gw/${org}/m/user-containers/bridge`, { headers: { upgrade: "websocket", "x-kiln-principal": "bridge:test-bridge" } }));
  const ws = res.webSocket!;
  const inbox: GatewayToBridge[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (e) => {
    inbox.push(GatewayToBridgeSchema.parse(JSON.parse(e.data as string)));
    for (const w of waiters.splice(0)) w();
  });
  ws.accept();
  /** The next message matching `match`, taken out of the inbox. */
  const next = async <T extends GatewayToBridge["type"]>(type: T, match: (m: Extract<GatewayToBridge, { type: T }>) => boolean = () => true, ms = 3000): Promise<Extract<GatewayToBridge, { type: T }>> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = inbox.findIndex((m) => m.type === type && match(m as Extract<GatewayToBridge, { type: T }>));
      if (i >= 0) return inbox.splice(i, 1)[0] as Extract<GatewayToBridge, { type: T }>;
      if (Date.now() > deadline) throw new Error(`no ${type} message; got ${JSON.stringify(inbox)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  const send = (message: unknown) => ws.send(JSON.stringify(message));
  const checkToken = async (container: string, token: string, purpose: "profile" | "vpn" | "report" = "vpn") => {
    const id = uuid();
    send({ type: "check-token", id, container, token, purpose });
    return next("token-checked", (m) => m.id === id);
  };
  return { ws, next, send, checkToken, inbox };
}

export async function readRecord(stub: Awaited<ReturnType<typeof gatewayOf>>, project: string, id: string): Promise<ContainerRecord | undefined> {
  return runInDurableObject(stub, async (_instance, state) => {
    const { DocStore } = await import("../src/storage/doc-store");
    const Y = await import("yjs");
    const stored = new DocStore(state.storage.sql, (f) => state.storage.transactionSync(f)).read(project);
    const doc = new Y.Doc();
    for (const u of [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates]) Y.applyUpdate(doc, u);
    return doc.getMap<ContainerRecord>("user-containers/containers").get(id);
  });
}

