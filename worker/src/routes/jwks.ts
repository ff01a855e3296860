/** `/.well-known/jwks.json`: the public key that verifies gateway tokens, for anyone to cache. */
import { z } from "@hono/zod-openapi";
import { publicJwkOf } from "../../../gateway-do/src/auth";
import { createApp, defineRoute, jsonResponse } from "../lib/openapi";

const JwksSchema = z
  .object({ keys: z.array(z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: z.string(), y: z.string(), kid: z.string(), alg: z.literal("ES256"), use: z.literal("sig") })) })
  .openapi("Jwks");

const jwksRoute = defineRoute({
  method: "get",
  path: "/jwks.json",
  operationId: "getJwks",
  access: "public",
  tags: ["gateway"],
  summary: "The JSON Web Key Set that verifies gateway tokens",
  responses: { 200: jsonResponse(JwksSchema, "Public keys only; cache for up to an hour.") },
});

export const jwks = createApp().openapi(jwksRoute, (c) => {
  c.header("cache-control", "public, max-age=3600");
  return c.json({ keys: [publicJwkOf(c.env.JWT_PRIVATE_KEY)] }, 200);
});
