/** Organizations, their members, invitations, projects and audit log. */
import {
  AuditPageSchema,
  InvitationAcceptedSchema,
  InvitationListSchema,
  InvitationPreviewSchema,
  InvitationSchema,
  OrgListSchema,
  OrgMemberListSchema,
  OrgMemberSchema,
  OrgSchema,
  ProjectListSchema,
  ProjectMemberListSchema,
  ProjectAccessSchema,
  ProjectMemberSchema,
  ProjectSchema,
} from "../../../protocol/api/orgs";
import { api, send } from "./client";
import type { OrgRole, ProjectRole, Visibility } from "./types";

const org = (id: string) => `/orgs/${encodeURIComponent(id)}`;

export const listOrgs = () => api("GET", "/orgs", OrgListSchema);
export const createOrg = (name: string) => api("POST", "/orgs", OrgSchema, { body: { name } });
export const getOrg = (id: string) => api("GET", org(id), OrgSchema);
export const renameOrg = (id: string, name: string) => api("PATCH", org(id), OrgSchema, { body: { name } });
/** The org with its new slug; its old slugs keep leading to it. */
export const changeOrgSlug = (id: string, slug: string) => api("PUT", `${org(id)}/slug`, OrgSchema, { body: { slug } });
export const deleteOrg = (id: string) => send("DELETE", org(id));

export const listMembers = (orgId: string) => api("GET", `${org(orgId)}/members`, OrgMemberListSchema);
export const changeMemberRole = (orgId: string, userId: string, role: OrgRole) => api("PATCH", `${org(orgId)}/members/${userId}`, OrgMemberSchema, { body: { role } });
export const removeMember = (orgId: string, userId: string) => send("DELETE", `${org(orgId)}/members/${userId}`);

export const listInvitations = (orgId: string) => api("GET", `${org(orgId)}/invitations`, InvitationListSchema);
export const inviteMember = (orgId: string, body: { email: string; role: OrgRole }) => api("POST", `${org(orgId)}/invitations`, InvitationSchema, { body });
export const revokeInvitation = (orgId: string, id: string) => send("DELETE", `${org(orgId)}/invitations/${id}`);
/** What an invitation link offers (works signed out). */
export const previewInvitation = (token: string) => api("POST", "/invitations/preview", InvitationPreviewSchema, { body: { token } });
export const acceptInvitation = (token: string) => api("POST", "/invitations/accept", InvitationAcceptedSchema, { body: { token } });

export const listProjects = (orgId: string) => api("GET", `${org(orgId)}/projects`, ProjectListSchema);
export const createProject = (orgId: string, body: { name: string; visibility: Visibility }) => api("POST", `${org(orgId)}/projects`, ProjectSchema, { body });
export const getProject = (orgId: string, projectId: string) => api("GET", `${org(orgId)}/projects/${projectId}`, ProjectSchema);
/** Whether you may open the project, and if not why (no access, or no such project). */
export const getProjectAccess = (orgId: string, projectId: string) => api("GET", `${org(orgId)}/projects/${encodeURIComponent(projectId)}/access`, ProjectAccessSchema);
export const updateProject = (orgId: string, projectId: string, body: { name?: string; visibility?: Visibility }) =>
  api("PATCH", `${org(orgId)}/projects/${projectId}`, ProjectSchema, { body });
export const deleteProject = (orgId: string, projectId: string) => send("DELETE", `${org(orgId)}/projects/${projectId}`);

const projectMembers = (orgId: string, projectId: string) => `${org(orgId)}/projects/${projectId}/members`;
export const listProjectMembers = (orgId: string, projectId: string) => api("GET", projectMembers(orgId, projectId), ProjectMemberListSchema);
/** Adds an org member to the project with `role`, or changes their role. */
export const setProjectMember = (orgId: string, projectId: string, userId: string, role: ProjectRole) =>
  api("PUT", `${projectMembers(orgId, projectId)}/${userId}`, ProjectMemberSchema, { body: { role } });
/** Removes someone from the project (or, with your own id, leaves it). */
export const removeProjectMember = (orgId: string, projectId: string, userId: string) => send("DELETE", `${projectMembers(orgId, projectId)}/${userId}`);

/** One page of the audit log, newest first; pass the previous page's `next` as `before`. */
export const listAuditLog = (orgId: string, before?: number, limit = 25) =>
  api("GET", `${org(orgId)}/audit-log?limit=${limit}${before ? `&before=${before}` : ""}`, AuditPageSchema);
