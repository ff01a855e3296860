/**
 * Module routes that take a file (`RouteSpec.bytes` in gateway-do's kit): their raw body, up
 * to the route's own limit, instead of the API's JSON of at most 64 KiB. The limit is enforced
 * on the bytes read, not on what Content-Length claims.
 */
import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { modules } from "../../../gateway-do/src/modules/registry";
import type { AppEnv } from "../env";
import { ApiError } from "./errors";

/** The byte limit of the module route `/gw/{org}/m/{module}{path}` for `method`, or null when it takes JSON (or is none). */
export function fileRouteLimit(method: string, pathname: string): number | null {
  const match = /^\/gw\/[^/]+\/m\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!match) return null;
  const route = modules.find((m) => m.name === match[1])?.routes?.find((r) => r.method === method && r.path === (match[2] || "/"));
  return route?.bytes ?? null;
}

/** Runs `guard` except on a module route that takes a file. */
export const unlessFileRoute = (guard: MiddlewareHandler<AppEnv>) =>
  createMiddleware<AppEnv>(async (c, next) => (fileRouteLimit(c.req.method, new URL(c.req.url).pathname) === null ? guard(c, next) : next()));

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;

/** The request's body, at most `limit` bytes; a longer one (whatever its Content-Length said) is a 413. */
export async function readFileBody(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () => new ApiError(413, "too_large", `The file is over ${megabytes(limit)}.`);
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, (at += chunk.byteLength) - chunk.byteLength);
  return bytes;
}
