/** Fixtures of the user-containers tests: a created container, the bridge's socket as the worker opens it, a record read from storage. */
import { env, runInDurableObject } from "cloudflare:test";
import { getServerByName } from "partyserver";
import { expect } from "vitest";
import { type ContainerRecord, type GatewayToBridge, GatewayToBridgeSchema } from "../../protocol/containers";
import { orgWithProjects } from "./fixtures";
import { moduleSocket } from "./module-socket";

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
  const socket = await moduleSocket<GatewayToBridge>(org, "user-containers", (json) => GatewayToBridgeSchema.parse(json));
  const checkToken = async (container: string, token: string, purpose: "profile" | "vpn" | "report" = "vpn") => {
    const id = uuid();
    socket.send({ type: "check-token", id, container, token, purpose });
    return socket.next("token-checked", (m) => m.id === id);
  };
  return { ...socket, checkToken };
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

