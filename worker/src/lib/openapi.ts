/** Sub-apps are OpenAPIHono apps: their routes and zod schemas make the OpenAPI document. */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { validationError } from "./errors";

/** A new sub-app whose invalid inputs become a 400 naming the offending fields. */
export function createApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

/** The error body every 4xx/5xx response has. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid_request" }),
      message: z.string().openapi({ example: "Invalid json: check name." }),
      fields: z.record(z.string(), z.array(z.string())).optional(),
    }),
  })
  .openapi("Error");

/** An OpenAPI response entry for a JSON body. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

/** A required JSON request body: another content type is refused rather than read as empty. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true };
}

/** Responses every authenticated route can give, for the document. */
export const authErrors = {
  401: jsonResponse(ErrorSchema, "Not signed in, or the API key is invalid."),
  403: jsonResponse(ErrorSchema, "Not allowed."),
};
