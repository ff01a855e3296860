/**
 * Whether a return-to value is a path of this app, shared by the API (RedirectSchema) and
 * the SPA (safeRedirect): no dependencies, so the browser bundle can import it.
 */
const PARSE_BASE = "https://kiln.invalid";

/**
 * True for a path of this app: it starts with one `/`, holds no control character or
 * backslash (browsers drop tabs and newlines, so `/\t/evil.com` would become `//evil.com`),
 * and a URL parser keeps it on the app's origin.
 */
export function isAppPath(value: string): boolean {
  if (!value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return false;
  return URL.canParse(value, PARSE_BASE) && new URL(value, PARSE_BASE).origin === PARSE_BASE;
}
