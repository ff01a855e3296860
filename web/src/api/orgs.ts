/** Organizations, their members, invitations, projects and audit log. */
import { api } from "./client";
import type { AuditEntry, Invitation, Org, OrgMember, OrgRole, Project, ProjectMember, ProjectRole, Visibility } from "./types";

const org = (id: string) => `/orgs/${encodeURIComponent(id)}`;

export const listOrgs = () => api<{ orgs: Org[] }>("GET", "/orgs");
export const createOrg = (name: string) => api<Org>("POST", "/orgs", { body: { name } });
export const getOrg = (id: string) => api<Org>("GET", org(id));
export const renameOrg = (id: string, name: string) => api<Org>("PATCH", org(id), { body: { name } });
export const deleteOrg = (id: string) => api<void>("DELETE", org(id));

export const listMembers = (orgId: string) => api<{ members: OrgMember[] }>("GET", `${org(orgId)}/members`);
export const changeMemberRole = (orgId: string, userId: string, role: OrgRole) => api<OrgMember>("PATCH", `${org(orgId)}/members/${userId}`, { body: { role } });
export const removeMember = (orgId: string, userId: string) => api<void>("DELETE", `${org(orgId)}/members/${userId}`);

export const listInvitations = (orgId: string) => api<{ invitations: Invitation[] }>("GET", `${org(orgId)}/invitations`);
export const inviteMember = (orgId: string, body: { email: string; role: OrgRole }) => api<Invitation>("POST", `${org(orgId)}/invitations`, { body });
export const revokeInvitation = (orgId: string, id: string) => api<void>("DELETE", `${org(orgId)}/invitations/${id}`);
export const acceptInvitation = (token: string) => api<{ org: Org }>("POST", "/invitations/accept", { body: { token } });

export const listProjects = (orgId: string) => api<{ projects: Project[] }>("GET", `${org(orgId)}/projects`);
export const createProject = (orgId: string, body: { name: string; visibility: Visibility }) => api<Project>("POST", `${org(orgId)}/projects`, { body });
export const getProject = (orgId: string, projectId: string) => api<Project>("GET", `${org(orgId)}/projects/${projectId}`);
export const updateProject = (orgId: string, projectId: string, body: { name?: string; visibility?: Visibility }) =>
  api<Project>("PATCH", `${org(orgId)}/projects/${projectId}`, { body });
export const deleteProject = (orgId: string, projectId: string) => api<void>("DELETE", `${org(orgId)}/projects/${projectId}`);

const projectMembers = (orgId: string, projectId: string) => `${org(orgId)}/projects/${projectId}/members`;
export const listProjectMembers = (orgId: string, projectId: string) => api<{ members: ProjectMember[] }>("GET", projectMembers(orgId, projectId));
/** Adds an org member to the project with `role`, or changes their role. */
export const setProjectMember = (orgId: string, projectId: string, userId: string, role: ProjectRole) => api<ProjectMember>("PUT", `${projectMembers(orgId, projectId)}/${userId}`, { body: { role } });
/** Removes someone from the project (or, with your own id, leaves it). */
export const removeProjectMember = (orgId: string, projectId: string, userId: string) => api<void>("DELETE", `${projectMembers(orgId, projectId)}/${userId}`);

/** One page of the audit log, newest first; pass the previous page's `next` as `before`. */
export const listAuditLog = (orgId: string, before?: number, limit = 25) =>
  api<{ entries: AuditEntry[]; next: number | null }>("GET", `${org(orgId)}/audit-log?limit=${limit}${before ? `&before=${before}` : ""}`);
