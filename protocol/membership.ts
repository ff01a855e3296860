/** What the worker pushes to an organization's gateway: its whole membership (`syncMembership`). */
import { z } from "zod";
import { OrgRoleSchema, ProjectRoleSchema, ProjectVisibilitySchema } from "./enums";

/** The full membership of one organization; every push replaces the previous one. */
export const MembershipSnapshotSchema = z.strictObject({
  org: z.uuid(),
  /** When the worker read it (µs since the epoch, Postgres clock): an older snapshot never replaces a newer one. */
  version: z.number().int().nonnegative(),
  members: z.array(z.strictObject({ userId: z.uuid(), role: OrgRoleSchema })),
  projects: z.array(
    z.strictObject({
      id: z.uuid(),
      visibility: ProjectVisibilitySchema,
      members: z.array(z.strictObject({ userId: z.uuid(), role: ProjectRoleSchema })),
    }),
  ),
});

export type MembershipSnapshot = z.infer<typeof MembershipSnapshotSchema>;
