/** The shapes the API answers with (see /api/openapi.json). */

export type OrgRole = "owner" | "admin" | "member";
export type ProjectRole = "admin" | "member";
export type Visibility = "org" | "members";

export interface User {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  avatarUrl: string | null;
  createdAt: string;
}

export interface Me {
  user: User & { totpEnabled: boolean };
  orgs: { id: string; name: string; role: OrgRole }[];
  via: "session" | "api_key";
}

export type SignInResult = { status: "signed_in"; user: User } | { status: "mfa_required" };

export interface OAuthProvider {
  id: string;
  name: string;
  startUrl: string;
}

export interface Org {
  id: string;
  name: string;
  role: OrgRole;
  createdAt: string;
}

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  avatarUrl: string | null;
}

export interface OrgMember {
  user: UserSummary;
  role: OrgRole;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: OrgRole;
  invitedBy: string | null;
  expiresAt: string;
  createdAt: string;
}

export interface Project {
  id: string;
  orgId: string;
  name: string;
  visibility: Visibility;
  role: ProjectRole | null;
  createdAt: string;
}

export interface ProjectMember {
  user: UserSummary;
  role: ProjectRole;
  addedAt: string;
}

export interface AuditEntry {
  id: number;
  actorUserId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  data: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

export interface Session {
  id: string;
  method: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export const apiKeyScopes = ["account:read", "orgs:read", "orgs:write", "projects:read", "projects:write", "gateway:connect"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
