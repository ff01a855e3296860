/** zod schemas shared by the organization and project routes: path parameters and response shapes. */
import { z } from "@hono/zod-openapi";
import { orgRoles, projectRoles, projectVisibilities } from "../../../drizzle/schema";
import { StorableTextSchema } from "../lib/storable-text";
import { TimestampSchema } from "../lib/openapi";

const pathId = (name: string, description: string) => z.uuid().openapi({ param: { name, in: "path" }, description });

export const OrgParams = z.object({ org: pathId("org", "Organization id.") });
export const OrgUserParams = OrgParams.extend({ user: pathId("user", "User id.") });
export const ProjectParams = OrgParams.extend({ project: pathId("project", "Project id.") });
export const ProjectUserParams = ProjectParams.extend({ user: pathId("user", "User id.") });
export const InvitationParams = OrgParams.extend({ id: pathId("id", "Invitation id.") });

export const OrgRoleSchema = z.enum(orgRoles).openapi("OrgRole");
export const ProjectRoleSchema = z.enum(projectRoles).openapi("ProjectRole");
export const VisibilitySchema = z.enum(projectVisibilities).openapi("ProjectVisibility", {
  description: "`org`: every member of the organization sees it; `members`: only its members and the org's admins and owners.",
});

export const OrgSchema = z
  .object({ id: z.uuid(), name: z.string(), role: OrgRoleSchema.openapi({ description: "Your role in it." }), createdAt: TimestampSchema })
  .openapi("Org");

/** What a co-member may see of another user. */
export const UserSummarySchema = z.object({ id: z.uuid(), email: z.email(), name: z.string(), avatarUrl: z.string().nullable() }).openapi("UserSummary");

export const OrgMemberSchema = z.object({ user: UserSummarySchema, role: OrgRoleSchema, joinedAt: TimestampSchema }).openapi("OrgMember");

export const ProjectSchema = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    name: z.string(),
    visibility: VisibilitySchema,
    role: ProjectRoleSchema.nullable().openapi({ description: "Your role in the project, if you are a member." }),
    createdAt: TimestampSchema,
  })
  .openapi("Project");

export const ProjectMemberSchema = z.object({ user: UserSummarySchema, role: ProjectRoleSchema, addedAt: TimestampSchema }).openapi("ProjectMember");

/** Project names: trimmed, 1 to 100 characters, unique within the org. */
export const ProjectNameSchema = StorableTextSchema.trim().min(1).max(100);

/** A user row as a co-member sees it. */
export function userSummary(user: { id: string; email: string; name: string; avatarUrl: string | null }): z.infer<typeof UserSummarySchema> {
  return { id: user.id, email: user.email, name: user.name, avatarUrl: user.avatarUrl };
}
