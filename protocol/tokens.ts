/** Token claims: what the worker signs and the gateway checks (signing and verifying stay with them). */
import { z } from "zod";
import { OrgRoleSchema, ProjectRoleSchema } from "./enums";

/** A gateway token's claims (`POST …/connect`): one user, one project, their roles when it was signed. */
export const GatewayClaimsSchema = z.object({
  sub: z.uuid(),
  org: z.uuid(),
  project: z.uuid(),
  roles: z.object({ org: OrgRoleSchema, project: ProjectRoleSchema.nullable() }),
  /** The user's display name: presence shows this one, not what a client claims. */
  name: z.string().max(200).optional(),
});
export type GatewayClaims = z.infer<typeof GatewayClaimsSchema>;
