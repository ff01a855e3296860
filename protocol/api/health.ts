/** What `GET /api/health` answers. */
import { z } from "zod";
import { TimestampSchema } from "./common";

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    database: z.object({
      reachable: z.boolean(),
      latencyMs: z.number().meta({ description: "Round trip of `select 1`, in milliseconds." }),
      error: z.string().optional(),
    }),
    time: TimestampSchema.meta({ description: "Server time." }),
  })
  .meta({ id: "Health" });
export type Health = z.infer<typeof HealthSchema>;
