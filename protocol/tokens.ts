/** Token claims: what the worker signs and the gateway checks (signing and verifying stay with them). */
import { z } from "zod";

/**
 * A gateway token's claims (`POST …/connect`): one user, one project. No roles: the gateway
 * decides access from its own copy of the membership, which a removal changes at once.
 */
export const GatewayClaimsSchema = z.object({
  sub: z.uuid(),
  org: z.uuid(),
  project: z.uuid(),
  /** The user's display name: presence shows this one, not what a client claims. */
  name: z.string().max(200).optional(),
});
export type GatewayClaims = z.infer<typeof GatewayClaimsSchema>;
