/**
 * Ids in paths, in one spelling. Postgres compares UUIDs whatever their letter case, but a
 * gateway is found by the exact string of its org id: `/api/orgs/{ID IN UPPER CASE}/…/connect`
 * handed out tokens for a second, separate gateway, where a removed member stayed connected
 * and events never reached the org's log. Every UUID in a path is lower-cased once, here, so
 * each route, each row and each Durable Object sees one id per thing.
 */

const UUID_IN_PATH = /(?<=\/)[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=\/|$)/g;

/** The path with every UUID segment lower-cased. */
export function canonicalPath(pathname: string): string {
  return pathname.replace(UUID_IN_PATH, (id) => id.toLowerCase());
}

/** The request, with its path's UUIDs lower-cased (the same request when they already are). */
export function canonicalRequest(request: Request): Request {
  const url = new URL(request.url);
  const path = canonicalPath(url.pathname);
  if (path === url.pathname) return request;
  url.pathname = path;
  return new Request(url, request);
}
