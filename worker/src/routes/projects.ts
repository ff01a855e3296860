/** `/api/orgs/{org}/projects`: create, list, read, change and delete an org's projects. */
import { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "drizzle-orm";
import { getServerByName } from "partyserver";
import { organizations, organizationsMembers, projects, projectsMembers, users } from "../../../drizzle/schema";
import { ProjectAccessSchema, ProjectListSchema } from "../../../protocol/api/orgs";
import { requireAuth } from "../auth/middleware";
import { pushMembership } from "../gateway/membership-push";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import type { Database } from "../../../drizzle/client";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { canSeeProject } from "../orgs/access";
import { isUniqueViolation, requireManagedProject, requireOrgMember, requireVisibleProject } from "../orgs/membership";
import { OrgParams, ProjectNameSchema, ProjectParams, ProjectRefParams, ProjectSchema, VisibilitySchema } from "../orgs/schemas";
import { orgNamedBy } from "../orgs/slugs";

const notFound = { 404: jsonResponse(ErrorSchema, "No such organization or project, or you may not see it.") };
const nameTaken = { 409: jsonResponse(ErrorSchema, "The organization has a project with this name.") };

const createProjectRoute = defineRoute({
  method: "post",
  path: "/orgs/{org}/projects",
  operationId: "createProject",
  access: "sessionOrApiKey",
  tags: ["projects"],
  summary: "Create a project (any member); you become its admin",
  request: { params: OrgParams, body: jsonBody(z.strictObject({ name: ProjectNameSchema, visibility: VisibilitySchema }).openapi("ProjectCreate")) },
  responses: { 201: jsonResponse(ProjectSchema, "The new project."), ...notFound, ...nameTaken },
});

const listProjectsRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}/projects",
  operationId: "listProjects",
  access: "sessionOrApiKey",
  tags: ["projects"],
  summary: "The org's projects you may see",
  request: { params: OrgParams },
  responses: { 200: jsonResponse(ProjectListSchema, "Projects, by name, each with its last edit."), ...notFound },
});

const getProjectRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}/projects/{project}",
  operationId: "getProject",
  access: "sessionOrApiKey",
  tags: ["projects"],
  summary: "A project you may see",
  request: { params: ProjectParams },
  responses: { 200: jsonResponse(ProjectSchema, "The project."), ...notFound },
});

const projectAccessRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}/projects/{project}/access",
  operationId: "getProjectAccess",
  access: "sessionOrApiKey",
  tags: ["projects"],
  summary: "Whether you may open a project, and why not: outside the organization, members only, or no such project",
  description: "For a page to say why it cannot show a project. The org is named by its id or its slug (the app's address). Someone outside the organization learns only that it exists, never whether the project does.",
  request: { params: ProjectRefParams },
  responses: { 200: jsonResponse(ProjectAccessSchema, "Open, no access (and why), or not found.") },
});

const ProjectChangeSchema = z
  .strictObject({ name: ProjectNameSchema.optional(), visibility: VisibilitySchema.optional() })
  .refine((v) => v.name !== undefined || v.visibility !== undefined, { message: "Give a name, a visibility or both." })
  .openapi("ProjectChange");

const changeProjectRoute = defineRoute({
  method: "patch",
  path: "/orgs/{org}/projects/{project}",
  operationId: "updateProject",
  access: "sessionOrApiKey",
  tags: ["projects"],
  summary: "Rename a project or change its visibility (project admins, org admins and owners)",
  request: { params: ProjectParams, body: jsonBody(ProjectChangeSchema) },
  responses: { 200: jsonResponse(ProjectSchema, "The changed project."), ...notFound, ...nameTaken },
});

const deleteProjectRoute = defineRoute({
  method: "delete",
  path: "/orgs/{org}/projects/{project}",
  operationId: "deleteProject",
  access: "sessionOrApiKey",
  tags: ["projects"],
  summary: "Delete a project (project admins, org admins and owners)",
  request: { params: ProjectParams },
  responses: { 204: { description: "Deleted; its gateway connections close." }, ...notFound },
});

function projectView(project: typeof projects.$inferSelect, role: z.infer<typeof ProjectSchema>["role"]): z.infer<typeof ProjectSchema> {
  return { id: project.id, orgId: project.orgId, name: project.name, visibility: project.visibility, role, createdAt: project.createdAt.toISOString() };
}

type LastEdit = NonNullable<z.infer<typeof ProjectListSchema>["projects"][number]["lastEdit"]>;

/**
 * Each project's last edit by a person, as the org's gateway keeps it (Postgres takes no write
 * per change), with the editor's name. A gateway that does not answer costs the list nothing
 * but these dates: logged, and the projects listed without them.
 */
async function lastEdits(c: Context<AppEnv>, db: Database, orgId: string): Promise<Map<string, LastEdit>> {
  let edits: Record<string, { at: number; userId: string }>;
  try {
    edits = await (await getServerByName(c.env.GATEWAY, orgId)).projectEdits();
  } catch (error) {
    console.error(JSON.stringify({ level: "error", requestId: c.var.requestId, msg: "project edits unavailable", orgId, error: String(error) }));
    return new Map();
  }
  const ids = [...new Set(Object.values(edits).map((e) => e.userId))].filter((id) => UUID.test(id));
  const names = new Map(ids.length === 0 ? [] : (await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ids))).map((u) => [u.id, u.name || u.email]));
  return new Map(
    Object.entries(edits).map(([project, edit]) => {
      const name = names.get(edit.userId);
      return [project, { at: new Date(edit.at).toISOString(), by: name === undefined ? null : { id: edit.userId, name } }];
    }),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const nameTakenError = (name: string) => new ApiError(409, "project_name_taken", `The organization already has a project named "${name}".`);

export const projectRoutes = createApp()
  .openapi(createProjectRoute, async (c) => {
    const auth = requireAuth(c, "projects:write");
    const { org } = c.req.valid("param");
    const { name, visibility } = c.req.valid("json");
    const project = await c.var.db().transaction(async (tx) => {
      await requireOrgMember(tx, org, auth.user.id);
      const [project] = await tx.insert(projects).values({ orgId: org, name, visibility, createdBy: auth.user.id }).onConflictDoNothing({ target: [projects.orgId, projects.name] }).returning();
      if (!project) throw nameTakenError(name);
      await tx.insert(projectsMembers).values({ projectId: project.id, userId: auth.user.id, role: "admin" });
      await audit(c, tx, { orgId: org, action: "project.create", targetType: "project", targetId: project.id, data: { name, visibility } });
      return project;
    });
    await pushMembership(c, org);
    return c.json(projectView(project, "admin"), 201);
  })
  .openapi(listProjectsRoute, async (c) => {
    const auth = requireAuth(c, "projects:read");
    const { org } = c.req.valid("param");
    const db = c.var.db();
    const { role: orgRole } = await requireOrgMember(db, org, auth.user.id);
    const rows = await db
      .select({ project: projects, role: projectsMembers.role })
      .from(projects)
      .leftJoin(projectsMembers, and(eq(projectsMembers.projectId, projects.id), eq(projectsMembers.userId, auth.user.id)))
      .where(eq(projects.orgId, org))
      .orderBy(asc(projects.name), asc(projects.id));
    const visible = rows.filter((r) => canSeeProject(orgRole, r.project.visibility, r.role));
    const edits = await lastEdits(c, db, org);
    return c.json({ projects: visible.map((r) => ({ ...projectView(r.project, r.role), lastEdit: edits.get(r.project.id) ?? null })) }, 200);
  })
  .openapi(getProjectRoute, async (c) => {
    const auth = requireAuth(c, "projects:read");
    const { org, project } = c.req.valid("param");
    const place = await requireVisibleProject(c.var.db(), org, project, auth.user.id);
    return c.json(projectView(place.project, place.projectRole), 200);
  })
  .openapi(projectAccessRoute, async (c) => {
    const auth = requireAuth(c, "projects:read");
    const { org: ref, project: projectId } = c.req.valid("param");
    const db = c.var.db();
    const [org] = await db
      .select({ id: organizations.id, name: organizations.name, role: organizationsMembers.role })
      .from(organizations)
      .leftJoin(organizationsMembers, and(eq(organizationsMembers.orgId, organizations.id), eq(organizationsMembers.userId, auth.user.id)))
      .where(orgNamedBy(ref));
    if (!org) return c.json({ access: "not_found" as const }, 200);
    if (!org.role) return c.json({ access: "no_access" as const, reason: "not_org_member" as const, org: null }, 200);
    const [row] = await db
      .select({ visibility: projects.visibility, role: projectsMembers.role })
      .from(projects)
      .leftJoin(projectsMembers, and(eq(projectsMembers.projectId, projects.id), eq(projectsMembers.userId, auth.user.id)))
      .where(and(eq(projects.id, projectId), eq(projects.orgId, org.id)));
    if (!row) return c.json({ access: "not_found" as const }, 200);
    if (!canSeeProject(org.role, row.visibility, row.role)) return c.json({ access: "no_access" as const, reason: "members_only" as const, org: { name: org.name } }, 200);
    return c.json({ access: "open" as const }, 200);
  })
  .openapi(changeProjectRoute, async (c) => {
    const auth = requireAuth(c, "projects:write");
    const { org, project: projectId } = c.req.valid("param");
    const change = c.req.valid("json");
    let updated: z.infer<typeof ProjectSchema>;
    try {
      updated = await c.var.db().transaction(async (tx) => {
        const place = await requireManagedProject(tx, org, projectId, auth.user.id);
        const [row] = await tx.update(projects).set(change).where(eq(projects.id, projectId)).returning();
        const from = { name: place.project.name, visibility: place.project.visibility };
        await audit(c, tx, { orgId: org, action: "project.update", targetType: "project", targetId: projectId, data: { from, to: change } });
        return projectView(row!, place.projectRole);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTakenError(change.name ?? "");
      throw error;
    }
    if (change.visibility) await pushMembership(c, org);
    return c.json(updated, 200);
  })
  .openapi(deleteProjectRoute, async (c) => {
    const auth = requireAuth(c, "projects:write");
    const { org, project: projectId } = c.req.valid("param");
    await c.var.db().transaction(async (tx) => {
      const place = await requireManagedProject(tx, org, projectId, auth.user.id);
      await tx.delete(projects).where(eq(projects.id, projectId));
      await audit(c, tx, { orgId: org, action: "project.delete", targetType: "project", targetId: projectId, data: { name: place.project.name } });
    });
    await pushMembership(c, org);
    return c.body(null, 204);
  });
