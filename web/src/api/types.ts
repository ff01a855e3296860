/** The shapes the API answers with (see /api/openapi.json): contracts kept in protocol/, parsed on arrival. */

export { apiKeyScopes, type ApiKeyScope, type OrgRole, type ProjectRole, type ProjectVisibility as Visibility } from "../../../protocol/enums";
export type { ApiKey, Me, OAuthProvider, Session, SignInResult, User } from "../../../protocol/api/account";
export type { AuditEntry, Invitation, Org, OrgMember, Project, ProjectListItem, ProjectMember, UserSummary } from "../../../protocol/api/orgs";
