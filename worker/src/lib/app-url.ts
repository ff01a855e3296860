import type { Context } from "hono";
import type { AppEnv } from "../env";

/** The app's public origin, for links in emails: APP_URL, else the request's own origin. */
export function appUrl(c: Context<AppEnv>, path: string): string {
  return new URL(path, c.env.APP_URL || new URL(c.req.url).origin).toString();
}
