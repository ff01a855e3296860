import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

interface Ping {
  pong?: true;
  type?: string;
  org: string;
  connections: number;
}

/** Opens a WebSocket to the org's gateway through the worker, as a browser would. */
async function connect(orgId: string): Promise<WebSocket> {
  const res = await SELF.fetch(`http://kiln.test/gw/${orgId}/ws`, { headers: { upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  return ws;
}

function nextMessage(ws: WebSocket): Promise<Ping> {
  return new Promise((resolve) => ws.addEventListener("message", (e) => resolve(JSON.parse(e.data as string) as Ping), { once: true }));
}

describe("GatewayDO through /gw/{orgId}", () => {
  it("answers a ping over HTTP, named after its organization", async () => {
    const org = crypto.randomUUID();
    const res = await SELF.fetch(`http://kiln.test/gw/${org}/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pong: true, org, connections: 0 });
  });

  it("counts its WebSocket connections, per organization", async () => {
    const org = crypto.randomUUID();
    const other = crypto.randomUUID();
    const a = await connect(org);
    const b = await connect(org);
    const c = await connect(other);

    const reply = nextMessage(a);
    a.send("ping");
    expect(await reply).toEqual({ type: "pong", org, connections: 2 });

    const res = await SELF.fetch(`http://kiln.test/gw/${other}/ping`);
    expect(await res.json()).toMatchObject({ org: other, connections: 1 });
    for (const ws of [a, b, c]) ws.close(1000, "done");
  });

  it("tells a client what it does not understand", async () => {
    const ws = await connect(crypto.randomUUID());
    const reply = nextMessage(ws);
    ws.send("hello");
    expect(await reply).toMatchObject({ type: "error", error: { code: "unknown_message" } });
    ws.close(1000, "done");
  });

  it("refuses an organization id that is not a UUID with a 400 naming the field", async () => {
    const res = await SELF.fetch("http://kiln.test/gw/not-an-id/ping");
    expect(res.status).toBe(400);
    const body = await res.json<{ error: { code: string; fields: Record<string, string[]> } }>();
    expect(body.error.code).toBe("invalid_request");
    expect(Object.keys(body.error.fields)).toEqual(["orgId"]);
  });

  it("answers an unknown gateway path with a JSON 404", async () => {
    const res = await SELF.fetch(`http://kiln.test/gw/${crypto.randomUUID()}/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
