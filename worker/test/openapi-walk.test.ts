/**
 * The OpenAPI document says every status the API answers. This walks every operation in it:
 * a good request (openapi-walk-requests.ts), then the same request spoiled one way at a time —
 * a malformed id in each path parameter, no credentials, someone else's session, an invalid
 * API key, no Origin, a wrong content type, invalid JSON, an oversized body — and the good
 * request again from a rate-limited address; it fails, listing them all, on any status the
 * operation does not declare.
 */
import { SELF } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, ORIGIN, call } from "./helpers";
import { withDb } from "./org-helpers";
import { BAD_INPUT_ONLY, GOOD_REQUESTS, type GoodRequest, type World, makeWorld } from "./openapi-walk-requests";

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

interface Document {
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, { format?: string; pattern?: string }> }> };
}

const METHODS = ["get", "put", "post", "delete", "patch"];
/** Rate limits count per address; every key with this one in it is over its limit (a trigger, below). */
const THROTTLED_IP = "203.0.113.9";

interface Variant {
  name: string;
  request: GoodRequest;
  /** Sent with this method regardless; the body goes as is when it is a string. */
  rawBody?: string;
  contentType?: string;
  noOrigin?: boolean;
  /** A further check on the status, besides being declared: a problem, or null. */
  check?: (status: number) => string | null;
}

function openApiPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));
}

async function send(method: string, path: string, variant: Variant): Promise<{ status: number; text: string }> {
  const { request } = variant;
  const query = request.query ? `?${new URLSearchParams(request.query)}` : "";
  const headers = { ...request.headers, ...(variant.contentType ? { "content-type": variant.contentType } : {}) };
  const body = variant.rawBody ?? request.body;
  const res = await call(request.client, `${openApiPath(path, request.params)}${query}`, {
    method: method.toUpperCase(),
    body,
    headers,
    origin: variant.noOrigin ? null : undefined,
  });
  if (res.webSocket) {
    res.webSocket.accept();
    res.webSocket.close(1000, "walked");
    return { status: res.status, text: "" };
  }
  return { status: res.status, text: await res.text() };
}

/** The good request and its spoiled copies, good last but for the replay, so nothing spoiled runs on used-up state. */
function variantsOf(method: string, op: Operation, good: GoodRequest, secured: boolean, stranger: Client): Variant[] {
  const anonymous = (client: Client): Client => ({ ip: client.ip });
  const variants: Variant[] = [];
  for (const param of op.parameters?.filter((p) => p.in === "path") ?? []) {
    variants.push({ name: `malformed ${param.name}`, request: { ...good, params: { ...good.params, [param.name]: "not-a-uuid" } } });
  }
  if (good.client.cookie || good.client.bearer) {
    variants.push({
      name: "no credentials",
      request: { ...good, client: anonymous(good.client) },
      check: (status) => (secured && status !== 401 ? `secured, yet answered ${status} without credentials` : !secured && status === 401 ? "public, yet answered 401 without credentials" : null),
    });
  }
  // Someone else's org, project, key or session: what they see of it.
  if (secured && good.client.cookie) variants.push({ name: "as someone else", request: { ...good, client: stranger } });
  variants.push({ name: "invalid API key", request: { ...good, client: { ...anonymous(good.client), bearer: "kiln_not-a-key" } } });
  if (method !== "get" && !good.client.bearer) variants.push({ name: "no Origin", request: good, noOrigin: true });
  if (op.requestBody) {
    variants.push({ name: "text/plain body", request: good, rawBody: JSON.stringify(good.body ?? {}), contentType: "text/plain" });
    variants.push({ name: "invalid JSON", request: good, rawBody: '{"unterminated', contentType: "application/json" });
    variants.push({ name: "oversized body", request: good, rawBody: JSON.stringify({ padding: "x".repeat(65 * 1024) }), contentType: "application/json" });
  }
  variants.push({ name: "good", request: good, check: (status) => (status >= 400 ? `the good request failed with ${status}` : null) });
  variants.push({ name: "again, rate-limited", request: { ...good, client: { ...good.client, ip: THROTTLED_IP } } });
  return variants;
}

let doc: Document;
let world: World;

beforeAll(async () => {
  doc = await (await SELF.fetch(`${ORIGIN}/api/openapi.json`)).json<Document>();
  world = await makeWorld();
  // Every rate limit counted against THROTTLED_IP is over its limit at once.
  await withDb(async (db) => {
    await db.execute(sql.raw(`create or replace function openapi_walk_throttle() returns trigger language plpgsql as $$
      begin if position('${THROTTLED_IP}' in new.key) > 0 then new.count := 1000000; end if; return new; end $$`));
    await db.execute(sql`drop trigger if exists openapi_walk_throttle on rate_limits`);
    await db.execute(sql`create trigger openapi_walk_throttle before insert or update on rate_limits for each row execute function openapi_walk_throttle()`);
  });
}, 60_000);

afterAll(async () => {
  await withDb(async (db) => {
    await db.execute(sql`drop trigger if exists openapi_walk_throttle on rate_limits`);
    await db.execute(sql`drop function if exists openapi_walk_throttle()`);
  });
});

function operations(): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m): [string, string, Operation] => [path, m, item[m]!]));
}

describe("the OpenAPI document against the API", () => {
  it("names every operation once, and has a good request for each (or says why not)", () => {
    const ids = operations().map(([path, method, op]) => op.operationId ?? `(none: ${method} ${path})`);
    expect(ids.filter((id) => id.startsWith("(none")), "operations without an operationId").toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), "operationIds used twice").toEqual([]);
    expect(ids.filter((id) => !(id in GOOD_REQUESTS) && !(id in BAD_INPUT_ONLY)), "operations the walk does not know").toEqual([]);
    expect(Object.keys(GOOD_REQUESTS).filter((id) => !ids.includes(id)), "good requests for operations the document lacks").toEqual([]);
  });

  it("declares every status that every operation answers, to good and bad input", async () => {
    const problems: string[] = [];
    let sent = 0;
    for (const [path, method, op] of operations()) {
      const id = op.operationId!;
      const build = GOOD_REQUESTS[id];
      if (!build) continue; // BAD_INPUT_ONLY: none at present
      const secured = (op.security ?? doc.security).length > 0;
      const declared = Object.keys(op.responses);
      let good: GoodRequest;
      try {
        good = await build(world);
      } catch (error) {
        problems.push(`${id}: could not make its good request: ${String(error).slice(0, 300)}`);
        continue;
      }
      for (const variant of variantsOf(method, op, good, secured, world.stranger.client)) {
        const { status, text } = await send(method, path, variant);
        sent++;
        const where = `${id} (${method.toUpperCase()} ${path}), ${variant.name}`;
        if (!declared.includes(String(status))) problems.push(`${where}: ${status} is not declared (${declared.join(", ")}) — ${text.slice(0, 160)}`);
        const problem = variant.check?.(status);
        if (problem) problems.push(`${where}: ${problem} — ${text.slice(0, 160)}`);
      }
    }
    console.log(`openapi walk: ${operations().length} operations, ${sent} requests, ${problems.length} problems`);
    expect(problems).toEqual([]);
  }, 300_000);
});
