/** The lines `test-bridge.ts` prints, read by the tests. */
import { z } from "zod";
import { AgentReportSchema } from "../../protocol/containers.ts";

/** What the test bridge prints, one line per request. */
export const TestBridgeEventSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("listening"), port: z.number() }),
  z.object({ event: z.literal("profile"), at: z.number(), container: z.string().nullable(), token: z.string(), status: z.number() }),
  z.object({ event: z.literal("report"), at: z.number(), container: z.string().nullable(), remote: z.string(), status: z.number(), report: AgentReportSchema.nullable(), command: z.string().nullable() }),
]);
export type TestBridgeEvent = z.infer<typeof TestBridgeEventSchema>;

