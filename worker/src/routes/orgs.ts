/** `/api/orgs`: create, list, read, rename and delete organizations. */
import { z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { organizations, organizationsMembers } from "../../../drizzle/schema";
import { requireAuth } from "../auth/middleware";
import { NameSchema } from "../auth/schemas";
import { pushMembership } from "../gateway/membership-push";
import { audit } from "../lib/audit";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { isUniqueViolation, lockOrgMember, orgNotFound, refuse, requireOrgMember } from "../orgs/membership";
import { OrgParams, OrgRefParams, OrgSchema, orgView } from "../orgs/schemas";
import { freeSlug, isOrgId } from "../orgs/slugs";

const OrgNameSchema = z.strictObject({ name: NameSchema }).openapi("OrgName");
const notFound = { 404: jsonResponse(ErrorSchema, "No such organization, or you are not a member of it.") };

const createOrgRoute = defineRoute({
  method: "post",
  path: "/orgs",
  operationId: "createOrg",
  access: "sessionOrApiKey",
  tags: ["orgs"],
  summary: "Create an organization; you become its owner",
  request: { body: jsonBody(OrgNameSchema) },
  responses: { 201: jsonResponse(OrgSchema, "The new organization."), 400: jsonResponse(ErrorSchema, "Invalid name.") },
});

const listOrgsRoute = defineRoute({
  method: "get",
  path: "/orgs",
  operationId: "listOrgs",
  access: "sessionOrApiKey",
  tags: ["orgs"],
  summary: "The organizations you belong to, with your role",
  responses: { 200: jsonResponse(z.object({ orgs: z.array(OrgSchema) }).openapi("OrgList"), "Your organizations, by name.") },
});

const getOrgRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}",
  operationId: "getOrg",
  access: "sessionOrApiKey",
  tags: ["orgs"],
  summary: "One of your organizations, by id or by slug",
  request: { params: OrgRefParams },
  responses: { 200: jsonResponse(OrgSchema, "The organization."), ...notFound },
});

const renameOrgRoute = defineRoute({
  method: "patch",
  path: "/orgs/{org}",
  operationId: "renameOrg",
  access: "sessionOrApiKey",
  tags: ["orgs"],
  summary: "Rename an organization (admins and owners)",
  request: { params: OrgParams, body: jsonBody(OrgNameSchema) },
  responses: { 200: jsonResponse(OrgSchema, "The renamed organization."), 400: jsonResponse(ErrorSchema, "Invalid name."), ...notFound },
});

const deleteOrgRoute = defineRoute({
  method: "delete",
  path: "/orgs/{org}",
  operationId: "deleteOrg",
  access: "sessionOrApiKey",
  tags: ["orgs"],
  summary: "Delete an organization with its projects, members and invitations (owners)",
  request: { params: OrgParams },
  responses: { 204: { description: "Deleted; its gateway closes every connection." }, ...notFound },
});


export const orgs = createApp()
  .openapi(createOrgRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    const { name } = c.req.valid("json");
    const create = () =>
      c.var.db().transaction(async (tx) => {
        const [org] = await tx.insert(organizations).values({ name, slug: await freeSlug(tx, name), createdBy: auth.user.id }).returning();
        await tx.insert(organizationsMembers).values({ orgId: org!.id, userId: auth.user.id, role: "owner" });
        await audit(c, tx, { orgId: org!.id, action: "org.create", targetType: "org", targetId: org!.id, data: { name, slug: org!.slug } });
        return org!;
      });
    // Orgs of one name made at once may pick the same free slug: the later ones look again.
    let org: Awaited<ReturnType<typeof create>> | undefined;
    for (let attempt = 1; !org; attempt++) {
      org = await create().catch((error: unknown) => (isUniqueViolation(error) && attempt < 5 ? undefined : Promise.reject(error)));
    }
    await pushMembership(c, org.id);
    return c.json(orgView(org, "owner"), 201);
  })
  .openapi(listOrgsRoute, async (c) => {
    const auth = requireAuth(c, "orgs:read");
    const rows = await c.var
      .db()
      .select({ org: organizations, role: organizationsMembers.role })
      .from(organizationsMembers)
      .innerJoin(organizations, eq(organizations.id, organizationsMembers.orgId))
      .where(eq(organizationsMembers.userId, auth.user.id))
      .orderBy(asc(organizations.name), asc(organizations.id));
    return c.json({ orgs: rows.map((r) => orgView(r.org, r.role)) }, 200);
  })
  .openapi(getOrgRoute, async (c) => {
    const auth = requireAuth(c, "orgs:read");
    const ref = c.req.valid("param").org;
    const db = c.var.db();
    // A slug names the org only for its members: anyone else gets the same 404 as for a name nobody holds.
    const id = isOrgId(ref) ? ref : (await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, ref)))[0]?.id;
    if (!id) throw orgNotFound();
    const { org, role } = await requireOrgMember(db, id, auth.user.id);
    return c.json(orgView(org, role), 200);
  })
  .openapi(renameOrgRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    const { org: orgId } = c.req.valid("param");
    const { name } = c.req.valid("json");
    const result = await c.var.db().transaction(async (tx) => {
      const { org, role } = await lockOrgMember(tx, orgId, auth.user.id);
      refuse(role === "member" ? { status: 403, code: "forbidden", message: "Only the organization's admins and owners may rename it." } : null);
      const [renamed] = await tx.update(organizations).set({ name }).where(eq(organizations.id, orgId)).returning();
      await audit(c, tx, { orgId, action: "org.rename", targetType: "org", targetId: orgId, data: { from: org.name, to: name } });
      return orgView(renamed!, role);
    });
    return c.json(result, 200);
  })
  .openapi(deleteOrgRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    const { org: orgId } = c.req.valid("param");
    await c.var.db().transaction(async (tx) => {
      const { org, role } = await lockOrgMember(tx, orgId, auth.user.id);
      refuse(role !== "owner" ? { status: 403, code: "owner_required", message: "Only an owner may delete the organization." } : null);
      await tx.delete(organizations).where(eq(organizations.id, orgId));
      // The audit log has no foreign keys: the org's history, this entry included, outlives it.
      await audit(c, tx, { orgId, action: "org.delete", targetType: "org", targetId: orgId, data: { name: org.name } });
    });
    await pushMembership(c, orgId);
    return c.body(null, 204);
  });
