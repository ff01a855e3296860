/**
 * Where to go after signing in: a path inside this app only, never another site. No control
 * character or backslash (browsers drop tabs and newlines: `/\t/evil.com` is `//evil.com`),
 * and a URL parser must keep it on this origin. The API checks the same (isAppPath).
 */
export function safeRedirect(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  const base = "https://kiln.invalid";
  return URL.canParse(value, base) && new URL(value, base).origin === base ? value : "/";
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
