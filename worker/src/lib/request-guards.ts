/** Guards on every API request's body: a size limit and JSON only. */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "./errors";

export const MAX_BODY_BYTES = 64 * 1024;

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, "payload_too_large", `The request body is over ${MAX_BODY_BYTES / 1024} KiB.`);
  },
});

/** A request that carries a body must say it is JSON. */
export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  const hasBody = c.req.header("content-length") !== undefined ? c.req.header("content-length") !== "0" : c.req.raw.body !== null;
  if (hasBody && !["GET", "HEAD", "OPTIONS"].includes(c.req.method)) {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      throw new ApiError(415, "unsupported_media_type", `Send the body as JSON (Content-Type: application/json), not ${type || "without a Content-Type"}.`);
    }
  }
  return next();
});
