/** The role, visibility and scope enums: one list each, used by the database columns, the API, the gateway and the SPA. */
import { z } from "zod";

/** A person's role in an organization. */
export const orgRoles = ["owner", "admin", "member"] as const;
export const OrgRoleSchema = z.enum(orgRoles).meta({ id: "OrgRole" });
export type OrgRole = z.infer<typeof OrgRoleSchema>;

/** A person's role in a project (custom roles come on top, from the roles module). */
export const projectRoles = ["admin", "member"] as const;
export const ProjectRoleSchema = z.enum(projectRoles).meta({ id: "ProjectRole" });
export type ProjectRole = z.infer<typeof ProjectRoleSchema>;

/** Who sees a project: `org`, every member of the organization; `members`, its members and the org's admins and owners. */
export const projectVisibilities = ["org", "members"] as const;
export const ProjectVisibilitySchema = z.enum(projectVisibilities).meta({
  id: "ProjectVisibility",
  description: "`org`: every member of the organization sees it; `members`: only its members and the org's admins and owners.",
});
export type ProjectVisibility = z.infer<typeof ProjectVisibilitySchema>;

/** What an API key may be allowed to do. A signed-in session may do all of it, and more. */
export const apiKeyScopes = ["account:read", "orgs:read", "orgs:write", "projects:read", "projects:write", "gateway:connect"] as const;
export const ApiKeyScopeSchema = z.enum(apiKeyScopes);
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;
