/** Test helpers: the API stubbed at `fetch`, and the app rendered at a URL. */
import { render } from "@testing-library/react";
import { MemoryRouter, useLocation } from "react-router";
import { vi } from "vitest";
import { AppRoutes } from "../src/routes";
import { SessionProvider } from "../src/session/session";

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = Reply | ((body: unknown, url: string) => Reply);

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

/**
 * Stubs fetch with `"METHOD /api/path"` → reply (a path without `?` matches any query).
 * Unknown requests answer 404, so a test sees what it forgot. Returns the calls made.
 */
export function stubApi(routes: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? "GET";
      const body: unknown = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
      const [path] = input.split("?");
      calls.push({ method, path: input, body });
      const handler = routes[`${method} ${input}`] ?? routes[`${method} ${path}`];
      const reply = typeof handler === "function" ? handler(body, input) : (handler ?? error(404, "not_found", `No stub for ${method} ${input}`));
      if (reply.status === 204) return new Response(null, { status: 204 });
      return Response.json(reply.body ?? {}, { status: reply.status ?? 200, headers: reply.headers });
    }),
  );
  return calls;
}

/** An API error reply. */
export function error(status: number, code: string, message: string, extra: { fields?: Record<string, string[]>; retryAfter?: number } = {}): Reply {
  return {
    status,
    body: { error: { code, message, ...(extra.fields ? { fields: extra.fields } : {}) } },
    headers: extra.retryAfter === undefined ? undefined : { "retry-after": String(extra.retryAfter) },
  };
}

export const signedOut = error(401, "unauthenticated", "Sign in first.");

export const ada = { id: "00000000-0000-4000-8000-00000000000a", email: "ada@example.com", name: "Ada Lovelace", emailVerified: true, avatarUrl: null, createdAt: "2026-01-01T00:00:00.000Z" };

/** `GET /api/me` for Ada, with her orgs. */
export function me(orgs: { id: string; name: string; role: "owner" | "admin" | "member" }[] = [], totpEnabled = false): Reply {
  return { body: { user: { ...ada, totpEnabled }, orgs, via: "session" } };
}

/** Renders the whole app at `url`, as the browser would open it. */
export function renderAt(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </MemoryRouter>,
  );
}

/** The app at `url`, with the path it is at now (read it after the app moves). */
export function renderTracked(url: string): { path: string } {
  const at = { path: "" };
  const Where = () => ((at.path = useLocation().pathname), null);
  render(
    <MemoryRouter initialEntries={[url]}>
      <SessionProvider>
        <AppRoutes />
        <Where />
      </SessionProvider>
    </MemoryRouter>,
  );
  return at;
}
