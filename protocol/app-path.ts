/**
 * Whether a return-to value is a path of this app, checked by the API (RedirectSchema) and by
 * the SPA before it navigates (safeRedirect).
 */

/**
 * True for a path of this app: it starts with one `/` (two would name another host), and holds
 * no control character or backslash (browsers drop tabs and newlines and read `\` as `/`, so
 * `/\t/evil.com` and `/\evil.com` would become `//evil.com`). Such a path, resolved against any
 * origin, stays on it.
 */
export function isAppPath(value: string): boolean {
  return value.startsWith("/") && !value.startsWith("//") && !/[\u0000-\u001f\u007f\\]/.test(value);
}
