import { isAppPath } from "../../../protocol/app-path";

/** Where to go after signing in: a path inside this app only, never another site (the API checks the same). */
export function safeRedirect(value: string | null | undefined): string {
  return value && isAppPath(value) ? value : "/";
}

/** `path` with `?redirect=…` when the destination is not the home page (`/signup`, `/forgot-password`…). */
export function withRedirect(path: string, redirect: string): string {
  return redirect === "/" ? path : `${path}?redirect=${encodeURIComponent(redirect)}`;
}

/** `/login?redirect=…` for the page a signed-out visitor asked for. */
export function loginPath(from: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (from && from !== "/") params.set("redirect", from);
  const query = params.toString();
  return query ? `/login?${query}` : "/login";
}
