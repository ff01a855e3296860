/** The API reference page; the OpenAPI document itself is served by the root app. */
import { Hono } from "hono";
import { Scalar } from "@scalar/hono-api-reference";
import type { AppEnv } from "../env";

/** Where the SPA's static assets serve the reference bundle (web/vite.config.ts copies it). */
export const SCALAR_BUNDLE_PATH = "/vendor/scalar/standalone.js";

export const docs = new Hono<AppEnv>().get(
  "/",
  Scalar({ url: "/api/openapi.json", pageTitle: "Kiln API reference", cdn: SCALAR_BUNDLE_PATH }),
);
