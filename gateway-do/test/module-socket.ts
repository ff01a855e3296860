/** A module's socket on the gateway as the worker opens it for the VPN bridge (the principal named in its header), with an inbox to wait on. */
import { env } from "cloudflare:test";
import { getServerByName } from "partyserver";

export async function moduleSocket<T extends { type: string }>(org: string, module: string, parse: (json: unknown) => T) {
  const stub = await getServerByName(env.GATEWAY, org);
  const res = await stub.fetch(new Request(`http://gw/gw/${org}/m/${module}/bridge`, { headers: { upgrade: "websocket", "x-kiln-principal": "bridge:test-bridge" } }));
  const ws = res.webSocket!;
  const inbox: T[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (e) => {
    inbox.push(parse(JSON.parse(e.data as string)));
    for (const w of waiters.splice(0)) w();
  });
  ws.accept();
  /** The next message of `type` matching `match`, taken out of the inbox. */
  const next = async <K extends T["type"]>(type: K, match: (m: Extract<T, { type: K }>) => boolean = () => true, ms = 3000): Promise<Extract<T, { type: K }>> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = inbox.findIndex((m) => m.type === type && match(m as Extract<T, { type: K }>));
      if (i >= 0) return inbox.splice(i, 1)[0] as Extract<T, { type: K }>;
      if (Date.now() > deadline) throw new Error(`no ${type} message; got ${JSON.stringify(inbox).slice(0, 800)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  const send = (message: unknown) => ws.send(JSON.stringify(message));
  return { ws, inbox, next, send };
}
