/**
 * The org's container settings (idle culling): read by any member, set by its admins and
 * owners. They live in the org's gateway (the user-containers module's table), which checks
 * the role again; the worker checks it first against Postgres and keeps the audit entry.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ContainerSettingsSchema } from "../../../protocol/api/containers";
import { requireAuth } from "../auth/middleware";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { requireOrgMember, requireOrgRole } from "../orgs/membership";
import { OrgParams } from "../orgs/schemas";
import { pushMembership } from "../gateway/membership-push";
import { askModule } from "./containers";

const readRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}/container-settings",
  operationId: "getContainerSettings",
  access: "sessionOrApiKey",
  tags: ["containers"],
  summary: "The organization's container settings (idle culling)",
  request: { params: OrgParams },
  responses: { 200: jsonResponse(ContainerSettingsSchema, "The settings."), 404: jsonResponse(ErrorSchema, "No such organization, or you are not a member.") },
});

const writeRoute = defineRoute({
  method: "put",
  path: "/orgs/{org}/container-settings",
  operationId: "setContainerSettings",
  access: "sessionOrApiKey",
  tags: ["containers"],
  summary: "Sets the organization's container settings (admins and owners)",
  request: { params: OrgParams, body: jsonBody(ContainerSettingsSchema) },
  responses: {
    200: jsonResponse(ContainerSettingsSchema, "The settings now."),
    400: jsonResponse(ErrorSchema, "Minutes out of bounds."),
    403: jsonResponse(ErrorSchema, "Only the organization's admins and owners may change them."),
    404: jsonResponse(ErrorSchema, "No such organization, or you are not a member."),
  },
});

/** The gateway's answer, or its refusal as an API error. */
function settingsFrom(answer: { status: number; body: unknown }) {
  if (answer.status === 200) return ContainerSettingsSchema.parse(answer.body);
  const refused = ErrorSchema.safeParse(answer.body);
  throw new ApiError(answer.status as ContentfulStatusCode, refused.data?.error.code ?? "refused", refused.data?.error.message ?? "The gateway refused.");
}

export const containerSettingsRoutes = createApp()
  .openapi(readRoute, async (c) => {
    const auth = requireAuth(c, "projects:read");
    const { org } = c.req.valid("param");
    await requireOrgMember(c.var.db(), org, auth.user.id);
    return c.json(settingsFrom(await askModule(c, org, { method: "GET", path: "/settings", member: auth.user.id })), 200);
  })
  .openapi(writeRoute, async (c) => {
    const auth = requireAuth(c, "projects:write");
    const { org } = c.req.valid("param");
    const body = c.req.valid("json");
    await requireOrgRole(c.var.db(), org, auth.user.id, "admin");
    const put = () => askModule(c, org, { method: "PUT", path: "/settings", body, member: auth.user.id });
    let answer = await put();
    // Made an admin a moment ago: the gateway may not know yet (Postgres said yes above).
    if (answer.status === 403 && (await pushMembership(c, org))) answer = await put();
    const settings = settingsFrom(answer);
    await audit(c, c.var.db(), { orgId: org, action: "containers.settings", targetType: "organization", targetId: org, data: settings });
    return c.json(settings, 200);
  });
