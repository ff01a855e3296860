/** `/api/orgs`: create, list, read, rename, change the slug of and delete organizations. */
import { z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { organizations, organizationsMembers, organizationsSlugs } from "../../../drizzle/schema";
import { requireAuth } from "../auth/middleware";
import { NameSchema } from "../auth/schemas";
import { pushMembership } from "../gateway/membership-push";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { checkOrgChange } from "../orgs/access";
import { isUniqueViolation, lockOrgMember, orgNotFound, refuse, requireOrgMember } from "../orgs/membership";
import { OrgParams, OrgRefParams, OrgSchema, orgView } from "../orgs/schemas";
import { MAX_SLUG, SLUG_PATTERN, slugProblem } from "../../../protocol/org-slugs";
import { freeSlug, holdSlug, orgNamedBy, slugTaken } from "../orgs/slugs";

const OrgNameSchema = z.strictObject({ name: NameSchema }).openapi("OrgName");
const OrgSlugSchema = z
  .strictObject({
    slug: z.string().openapi({
      description: "The new slug: lowercase letters, digits and single hyphens, not shaped like an id, held by no other organization now or before.",
      minLength: 1,
      maxLength: MAX_SLUG,
      pattern: SLUG_PATTERN.source,
      example: "acme-labs",
    }),
  })
  .openapi("OrgSlug");
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

const changeOrgSlugRoute = defineRoute({
  method: "put",
  path: "/orgs/{org}/slug",
  operationId: "changeOrgSlug",
  access: "sessionOrApiKey",
  tags: ["orgs"],
  summary: "Change an organization's slug, its address in the app (admins and owners); its old slugs keep leading to it",
  request: { params: OrgParams, body: jsonBody(OrgSlugSchema) },
  responses: {
    200: jsonResponse(OrgSchema, "The organization with its new slug (the same, unchanged, if it had it already)."),
    400: jsonResponse(ErrorSchema, "`invalid_slug`: not a slug a person may choose; the message says why."),
    ...notFound,
    409: jsonResponse(ErrorSchema, "`slug_taken`: another organization has the slug, or had it."),
  },
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
        // Held from the start, as every later slug: another org's claim on it fails from now on.
        await tx.insert(organizationsSlugs).values({ slug: org!.slug, orgId: org!.id });
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
    // A slug, current or old, names the org only for its members: anyone else gets the same 404 as for a name nobody holds.
    const [named] = await db.select({ id: organizations.id }).from(organizations).where(orgNamedBy(ref));
    if (!named) throw orgNotFound();
    const { org, role } = await requireOrgMember(db, named.id, auth.user.id);
    return c.json(orgView(org, role), 200);
  })
  .openapi(renameOrgRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    const { org: orgId } = c.req.valid("param");
    const { name } = c.req.valid("json");
    const result = await c.var.db().transaction(async (tx) => {
      const { org, role } = await lockOrgMember(tx, orgId, auth.user.id);
      refuse(checkOrgChange(role, "rename it"));
      const [renamed] = await tx.update(organizations).set({ name }).where(eq(organizations.id, orgId)).returning();
      await audit(c, tx, { orgId, action: "org.rename", targetType: "org", targetId: orgId, data: { from: org.name, to: name } });
      return orgView(renamed!, role);
    });
    return c.json(result, 200);
  })
  .openapi(changeOrgSlugRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    const { org: orgId } = c.req.valid("param");
    const { slug } = c.req.valid("json");
    const problem = slugProblem(slug);
    if (problem) throw new ApiError(400, "invalid_slug", problem, { slug: [problem] });
    const result = await c.var
      .db()
      .transaction(async (tx) => {
        const { org, role } = await lockOrgMember(tx, orgId, auth.user.id);
        refuse(checkOrgChange(role, "change its address"));
        if (org.slug === slug) return orgView(org, role);
        await holdSlug(tx, orgId, slug);
        // The old slug stays held by this org (organizations_slugs): old links keep leading here.
        const [changed] = await tx.update(organizations).set({ slug }).where(eq(organizations.id, orgId)).returning();
        await audit(c, tx, { orgId, action: "org.slug", targetType: "org", targetId: orgId, data: { from: org.slug, to: slug } });
        return orgView(changed!, role);
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? slugTaken(slug) : error;
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
