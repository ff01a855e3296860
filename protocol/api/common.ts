/** Pieces every API response uses. */
import { z } from "zod";

/** A moment, as `Date.toISOString()` writes it. */
export const TimestampSchema = z.iso.datetime().meta({ example: "2026-01-31T09:30:00.000Z" });

/** An answer that only says the request was taken (no hint whether an account exists). */
export const AcceptedSchema = z.object({ status: z.literal("accepted") }).meta({ id: "Accepted" });
