/**
 * The bridge's internal server on 127.0.0.1, reached only by Nginx:
 * - `GET /auth`: Nginx's `auth_request` for every visitor request (see visitor.ts);
 * - `GET /callback?ticket=&path=`: a ticket from the app becomes the host's cookie;
 * - any request carrying `X-Kiln-Page`: the page Nginx was pointed to instead of a
 *   container (auth_request can pass through only 401 and 403, so "unknown" and "not
 *   running" are answered by proxying here).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { AUTH_HEADERS } from "./nginx-config.ts";
import { describeError, warn } from "./log.ts";
import { isCrossSiteFrame, stripVisitorCookie } from "./visitor-cookie.ts";
import { isVisitorActivity } from "./activity.ts";
import { decideAccess, readHost, redeemTicket, type AccessFacts, type UsedTickets, type VisitorSettings } from "./visitor.ts";

export interface AuthDeps {
  settings: VisitorSettings;
  ticketKey: Uint8Array;
  facts: AccessFacts;
  usedTickets: UsedTickets;
  /** This server's own port: the target of a page answer. */
  authPort: number;
  now?: () => number;
  /** A visitor let in used a container (see `isVisitorActivity`), for idle culling. */
  onActivity?: (org: string, container: string) => void;
}

const PAGES = {
  unknown: { status: 404, title: "No such container", text: "There is no container at this address. It may have been deleted." },
  "not-running": { status: 503, title: "Container not running", text: "This container is not running right now. Start it from the board, then reload this page." },
  "no-service": { status: 503, title: "Service not available", text: "The container runs, but this service has not registered yet. Wait a moment, then reload." },
  "bad-ticket": { status: 403, title: "Sign-in link not valid", text: "This sign-in link is not valid: it expired, was already used, or is for another address. Open the container again from Kiln." },
} as const;
type PageName = keyof typeof PAGES;

function isPageName(name: string): name is PageName {
  return Object.hasOwn(PAGES, name);
}

function sendPage(res: ServerResponse, name: PageName): void {
  const page = PAGES[name];
  const html = `<!doctype html><meta charset="utf-8"><title>${page.title}</title><body style="font:16px system-ui;margin:15vh auto;max-width:32rem"><h1 style="font-size:1.4rem">${page.title}</h1><p>${page.text}</p></body>\n`;
  res.writeHead(page.status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return typeof value === "string" ? value : null;
}

export function createAuthServer(deps: AuthDeps): Server {
  const now = deps.now ?? Date.now;
  return createServer((req, res) => {
    const page = header(req, AUTH_HEADERS.page);
    if (page !== null) return sendPage(res, isPageName(page) ? page : "unknown");
    const url = new URL(req.url ?? "/", "http://bridge.internal");
    if (url.pathname === "/auth") return answerAuth(deps, req, res, now());
    if (url.pathname === "/callback") {
      redeemTicket(deps.settings, deps.ticketKey, deps.facts, deps.usedTickets, {
        host: header(req, "x-original-host") ?? "",
        ticket: url.searchParams.get("ticket"),
        path: url.searchParams.get("path"),
        now: now(),
        framed: isCrossSiteFrame(header(req, "sec-fetch-dest"), header(req, "sec-fetch-site")),
      })
        .then((decision) => {
          if (decision.kind === "refused") {
            warn(`visitor ticket refused for ${header(req, "x-original-host")}: ${decision.reason}`);
            return sendPage(res, "bad-ticket");
          }
          res.writeHead(302, { location: decision.location, "set-cookie": decision.setCookie, "cache-control": "no-store" });
          res.end();
        })
        .catch((error: unknown) => {
          warn(`callback: ${describeError(error)}`);
          res.writeHead(500);
          res.end();
        });
      return;
    }
    res.writeHead(404);
    res.end();
  });
}

function answerAuth(deps: AuthDeps, req: IncomingMessage, res: ServerResponse, now: number): void {
  const cookie = header(req, "cookie") ?? "";
  const decision = decideAccess(deps.settings, deps.facts, {
    host: header(req, "x-original-host") ?? "",
    cookie,
    origin: header(req, "x-original-origin") || null,
    upgrade: (header(req, "x-original-upgrade") ?? "") !== "",
    uri: header(req, "x-original-uri") ?? "/",
    now,
  });
  switch (decision.kind) {
    case "allow": {
      const host = readHost(header(req, "x-original-host") ?? "", deps.settings.domain);
      const upgrade = (header(req, "x-original-upgrade") ?? "") !== "";
      if (host && isVisitorActivity({ method: header(req, "x-original-method") ?? "GET", fetchMode: header(req, "x-original-fetch-mode"), upgrade })) deps.onActivity?.(host.org, host.container);
      res.writeHead(200, {
        [AUTH_HEADERS.target]: decision.target,
        [AUTH_HEADERS.cookie]: stripVisitorCookie(cookie),
        [AUTH_HEADERS.access]: decision.access,
        ...(decision.user === null ? {} : { [AUTH_HEADERS.user]: decision.user }),
      });
      return void res.end();
    }
    case "sign-in":
      res.writeHead(401, { [AUTH_HEADERS.signIn]: decision.location });
      return void res.end();
    case "forbidden":
      res.writeHead(403);
      return void res.end();
    case "unknown":
    case "unavailable":
      res.writeHead(200, { [AUTH_HEADERS.target]: `127.0.0.1:${deps.authPort}`, [AUTH_HEADERS.page]: decision.kind === "unknown" ? "unknown" : decision.reason });
      return void res.end();
  }
}
