/** The error shape every part answers with: an HTTP error body, a failed event's ack, a socket error notice. */
import { z } from "zod";

/** Field name → messages, as validation errors name the offending inputs. */
export const FieldErrorsSchema = z.record(z.string(), z.array(z.string()));
export type FieldErrors = z.infer<typeof FieldErrorsSchema>;

/** A stable machine `code`, a sentence a person can act on, and the offending fields if any. */
export const ErrorSchema = z.object({
  code: z.string().meta({ example: "invalid_request" }),
  message: z.string().meta({ example: "Invalid json: check name." }),
  fields: FieldErrorsSchema.optional(),
});
export type ErrorShape = z.infer<typeof ErrorSchema>;

/** The body of every 4xx/5xx HTTP response: `{ "error": { "code", "message", "fields"? } }`. */
export const ErrorBodySchema = z.object({ error: ErrorSchema });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
