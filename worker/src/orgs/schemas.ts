/** zod schemas shared by the organization and project routes: path parameters and response shapes. */
import { z } from "@hono/zod-openapi";
import { UserSummarySchema } from "../../../protocol/api/orgs";
import { StorableTextSchema } from "../lib/storable-text";

const pathId = (name: string, description: string) => z.uuid().openapi({ param: { name, in: "path" }, description });

export const OrgParams = z.object({ org: pathId("org", "Organization id.") });
export const OrgUserParams = OrgParams.extend({ user: pathId("user", "User id.") });
export const ProjectParams = OrgParams.extend({ project: pathId("project", "Project id.") });
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
