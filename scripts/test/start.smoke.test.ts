/**
 * The local stack as a person runs it: `npm start`, open the printed URL, stop with
 * Ctrl-C, start again and find the data still there.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../drizzle/client";
import { users } from "../../drizzle/schema";
import { isPortFree } from "../local/ports";
import { launchChromium } from "./browser";
import { freeStackPorts, startStack, type RunningStack, type StackPorts } from "./stack";

let dataDir: string;
let ports: StackPorts;
let stack: RunningStack;

const env = () => ({ ...ports, KILN_DATA_DIR: dataDir });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "kiln-smoke-"));
  ports = await freeStackPorts();
  stack = await startStack(env());
});

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("prints the URL of the web app", async () => {
    expect(stack.url).toBe(`http://localhost:${ports.KILN_WEB_PORT}`);
    const res = await fetch(stack.url);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<div id="root"></div>');
    expect(html).toContain("<title>Kiln</title>");
    const entry = await fetch(`${stack.url}/src/main.tsx`);
    expect(entry.status).toBe(200);
  });

  it("reports a healthy database through the dev server's /api proxy", async () => {
    const res = await fetch(`${stack.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: { reachable: boolean } };
    expect(body).toMatchObject({ status: "ok", database: { reachable: true } });
  });

  it("shows a healthy database on the page, in Chromium", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(stack.url);
      await page.getByTestId("database-status").getByText(/^Healthy · [\d.]+ ms$/).waitFor({ timeout: 15_000 });
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("real compute");
      if (process.env.KILN_SCREENSHOTS) await page.screenshot({ path: join(process.env.KILN_SCREENSHOTS, "home.png") });
    } finally {
      await browser.close();
    }
  });

  it("hands a signed-in member a gateway token and proxies the project's WebSocket", async () => {
    // As the web app does: sign up, create an organization and a project, ask to connect.
    let cookie = "";
    const api = async (path: string, body?: unknown) => {
      const res = await fetch(`${stack.url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { origin: stack.url, "content-type": "application/json", cookie },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const session = /kiln_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "");
      if (session) cookie = `kiln_session=${session[1]}`;
      expect(res.ok, `${path}: ${res.status}`).toBe(true);
      return (await res.json()) as Record<string, string>;
    };
    await api("/api/auth/signup", { email: `smoke-${crypto.randomUUID()}@kiln.test`, password: "smoke test password" });
    const org = await api("/api/orgs", { name: "Smoke" });
    const project = await api(`/api/orgs/${org.id}/projects`, { name: "Board", visibility: "members" });
    const connect = await api(`/api/orgs/${org.id}/projects/${project.id}/connect`, {});
    expect(connect.url).toBe(`ws://localhost:${ports.KILN_WEB_PORT}/gw/${org.id}/projects/${project.id}/ws`);

    const ws = new WebSocket(`${connect.url}?token=${connect.token}&json=1`);
    await new Promise((resolve, reject) => {
      ws.addEventListener("open", resolve);
      ws.addEventListener("error", reject);
    });
    const pong = new Promise<string>((resolve) =>
      ws.addEventListener("message", (e) => {
        if (typeof e.data === "string" && e.data.includes("pong")) resolve(e.data);
      }),
    );
    // A JSON ping gets the gateway's status (a bare "ping" is answered by the runtime alone).
    ws.send(JSON.stringify({ type: "ping" }));
    expect(JSON.parse(await pong)).toEqual({ type: "pong", org: org.id, connections: 1 });
    // An event through wrangler dev's gateway: validated, applied, stored, acknowledged.
    const ack = new Promise<string>((resolve) =>
      ws.addEventListener("message", (e) => {
        if (typeof e.data === "string" && e.data.includes('"ack"')) resolve(e.data);
      }),
    );
    ws.send(JSON.stringify({ type: "event", event: { type: "notes:create", requestId: "smoke-1", viewId: "main", text: "hello" } }));
    expect(JSON.parse(await ack)).toEqual({ type: "ack", requestId: "smoke-1", ok: true });
    ws.close();
  });

  it("stops every process on Ctrl-C and keeps the data for the next start", async () => {
    const email = `persist-${crypto.randomUUID()}@kiln.test`;
    const database = {
      databaseUrl: `postgres://postgres:postgres@127.0.0.1:${ports.KILN_DB_PORT}/postgres`,
      wsProxy: `127.0.0.1:${ports.KILN_DB_PROXY_PORT}`,
    };
    const first = createDatabase(database);
    await first.db.insert(users).values({ email, name: "Persisted" });
    await first.close();

    await stack.stop();
    expect(stack.output()).toContain("kiln  stopping…");
    expect(stack.output()).not.toContain("✖");
    for (const port of Object.values(ports)) expect(await isPortFree(Number(port))).toBe(true);

    stack = await startStack(env());
    const second = createDatabase(database);
    const found = await second.db.select().from(users).where(eq(users.email, email));
    await second.close();
    expect(found).toHaveLength(1);
    expect(found[0]!.name).toBe("Persisted");
  });

  it("stops every process when npm alone gets SIGTERM, as from a process manager", async () => {
    await stack.stop({ signal: "SIGTERM", group: false });
    // Give the stack's own shutdown a moment after npm itself has exited.
    const deadline = Date.now() + 15_000;
    const busy = async () => (await Promise.all(Object.values(ports).map((p) => isPortFree(Number(p))))).some((free) => !free);
    while ((await busy()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await busy()).toBe(false);
    stack = await startStack(env());
  });

  it("names the port that is taken and how to choose another", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const otherPorts = await freeStackPorts();
      const failure = await startStack({ ...otherPorts, KILN_WORKER_PORT: String(taken), KILN_DATA_DIR: dataDir }).then(
        () => null,
        (error: { code: number; output: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.output).toContain(`Port ${taken} (worker (wrangler dev)) is already in use`);
      expect(failure?.output).toContain("KILN_WORKER_PORT=<port> npm start");
    } finally {
      blocker.close();
    }
  });
});
