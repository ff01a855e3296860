/** zod schemas shared by the organization and project routes: path parameters and response shapes. */
import { z } from "@hono/zod-openapi";
import { OrgSchema, UserSummarySchema } from "../../../protocol/api/orgs";
import { StorableTextSchema } from "../lib/storable-text";

const pathId = (name: string, description: string) => z.uuid().openapi({ param: { name, in: "path" }, description });

export const OrgParams = z.object({ org: pathId("org", "Organization id.") });
/** An org named by its id or by its slug, current or old (the app's URLs carry the slug). */
export const OrgRefParams = z.object({
  org: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[a-z0-9-]+$/, "An organization's id or slug.")
    .openapi({ param: { name: "org", in: "path" }, description: "Organization id or slug (a slug it had before leads to it too).", example: "acme-labs" }),
});
export const OrgUserParams = OrgParams.extend({ user: pathId("user", "User id.") });
export const ProjectParams = OrgParams.extend({ project: pathId("project", "Project id.") });
/** A project of an org named by its id or its slug. */
export const ProjectRefParams = OrgRefParams.extend({ project: pathId("project", "Project id.") });
export const ProjectUserParams = ProjectParams.extend({ user: pathId("user", "User id.") });
export const InvitationParams = OrgParams.extend({ id: pathId("id", "Invitation id.") });

// The roles, visibility and response shapes are contracts the SPA parses too: protocol/.
export { OrgRoleSchema, ProjectRoleSchema, ProjectVisibilitySchema as VisibilitySchema } from "../../../protocol/enums";
export { OrgMemberSchema, OrgSchema, ProjectMemberSchema, ProjectSchema, UserSummarySchema } from "../../../protocol/api/orgs";

/** Project names: trimmed, 1 to 100 characters, unique within the org. */
export const ProjectNameSchema = StorableTextSchema.trim().min(1).max(100);

/** A user row as a co-member sees it. */
export function userSummary(user: { id: string; email: string; name: string; avatarUrl: string | null }): z.infer<typeof UserSummarySchema> {
  return { id: user.id, email: user.email, name: user.name, avatarUrl: user.avatarUrl };
}

/** An organization as the API shows it to a member with `role`. */
export function orgView(org: { id: string; name: string; slug: string; createdAt: Date }, role: z.infer<typeof OrgSchema>["role"]): z.infer<typeof OrgSchema> {
  return { id: org.id, name: org.name, slug: org.slug, role, createdAt: org.createdAt.toISOString() };
}
