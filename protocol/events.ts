/** Events, as a client sends them (over the socket or HTTP), and the gateway's answer to each. */
import { z } from "zod";
import { ErrorSchema } from "./errors";

/** What every event carries; the other fields are the owning module's payload, checked by its own schema. */
export const EventEnvelopeSchema = z.looseObject({
  type: z
    .string()
    .max(80)
    .regex(/^[a-z0-9-]+:[a-z0-9-]+$/, "Event types look like module:action.")
    .meta({ example: "notes:create" }),
  requestId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]+$/, "Use letters, digits and _ . : - only.")
    .meta({ example: "req-1" }),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

/** An event accepted; `result` is what the reducer returned for its sender alone, if anything. */
export const EventAcceptedSchema = z.object({ requestId: z.string().nullable(), ok: z.literal(true), result: z.unknown().optional() });
/** An event refused; `requestId` is null when the envelope itself could not be read. */
export const EventRefusedSchema = z.object({ requestId: z.string().nullable(), ok: z.literal(false), error: ErrorSchema });

/** The gateway's answer to one event. */
export const EventAckSchema = z.discriminatedUnion("ok", [EventAcceptedSchema, EventRefusedSchema]);
export type EventAck = z.infer<typeof EventAckSchema>;
