/**
 * Invitations: admins invite an email address with a role; the link's token (256 bits,
 * SHA-256 at rest, 7 days, single use) lets the signed-in owner of that address join.
 */
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { invitations, organizations, organizationsMembers, users } from "../../../drizzle/schema";
import { requireAuth, requireConfirmedEmail } from "../auth/middleware";
import { EmailSchema } from "../auth/schemas";
import { hashToken, randomToken } from "../auth/tokens";
import { sendEmail } from "../email/sender";
import { emails } from "../email/templates";
import { pushMembership } from "../gateway/membership-push";
import { appUrl } from "../lib/app-url";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { InvitationAcceptedSchema, InvitationListSchema, InvitationPreviewSchema, InvitationSchema } from "../../../protocol/api/orgs";
import { ErrorSchema, createApp, defineRoute, jsonBody, jsonResponse } from "../lib/openapi";
import { enforceRateLimits } from "../lib/rate-limit";
import { checkInvitation } from "../orgs/access";
import { lockOrgMember, refuse, requireOrgRole } from "../orgs/membership";
import { InvitationParams, OrgParams, OrgRoleSchema, orgView } from "../orgs/schemas";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const notFound = { 404: jsonResponse(ErrorSchema, "No such organization or pending invitation, or you are not a member of it.") };

const createInvitationRoute = defineRoute({
  method: "post",
  path: "/orgs/{org}/invitations",
  operationId: "createInvitation",
  access: "sessionOrApiKey",
  tags: ["invitations"],
  summary: "Invite someone by email (admins and owners; only owners invite owners)",
  description: "Emails a link that works for 7 days, once. A new invitation to the same address replaces the pending one.",
  request: { params: OrgParams, body: jsonBody(z.strictObject({ email: EmailSchema, role: OrgRoleSchema }).openapi("InvitationRequest")) },
  responses: {
    201: jsonResponse(InvitationSchema, "Invited; the email is sent."),
    409: jsonResponse(ErrorSchema, "This person is already a member."),
    429: jsonResponse(ErrorSchema, "Too many invitations for now."),
    503: jsonResponse(ErrorSchema, "The email could not be sent; nothing was kept."),
    ...notFound,
  },
});

const listInvitationsRoute = defineRoute({
  method: "get",
  path: "/orgs/{org}/invitations",
  operationId: "listInvitations",
  access: "sessionOrApiKey",
  tags: ["invitations"],
  summary: "Pending invitations (admins and owners)",
  request: { params: OrgParams },
  responses: { 200: jsonResponse(InvitationListSchema, "Pending, oldest first."), ...notFound },
});

const revokeInvitationRoute = defineRoute({
  method: "delete",
  path: "/orgs/{org}/invitations/{id}",
  operationId: "revokeInvitation",
  access: "sessionOrApiKey",
  tags: ["invitations"],
  summary: "Revoke a pending invitation (admins and owners)",
  request: { params: InvitationParams },
  responses: { 204: { description: "Revoked: its link no longer works." }, ...notFound },
});

const acceptRoute = defineRoute({
  method: "post",
  path: "/invitations/accept",
  operationId: "acceptInvitation",
  access: "sessionOrApiKey",
  tags: ["invitations"],
  summary: "Accept an invitation sent to your email address",
  request: { body: jsonBody(z.strictObject({ token: z.string().min(1).max(200) }).openapi("InvitationAccept")) },
  responses: {
    200: jsonResponse(InvitationAcceptedSchema, "You are now a member."),
    403: jsonResponse(ErrorSchema, "The invitation is for another email address, your email address is not confirmed yet (`email_unconfirmed`), or the API key lacks the scope."),
    404: jsonResponse(ErrorSchema, "Unknown invitation link."),
    409: jsonResponse(ErrorSchema, "Already used, or you are already a member."),
    410: jsonResponse(ErrorSchema, "The invitation has expired."),
  },
});

const previewRoute = defineRoute({
  method: "post",
  path: "/invitations/preview",
  operationId: "previewInvitation",
  access: "public",
  tags: ["invitations"],
  summary: "What an invitation link offers: the organization, who invited, the role and the address",
  description: "Needs only the link's token (signed out too), so the page can say what it is and offer to sign up with the invited address. Accepting still needs that address's account.",
  request: { body: jsonBody(z.strictObject({ token: z.string().min(1).max(200) }).openapi("InvitationPreviewRequest")) },
  responses: { 200: jsonResponse(InvitationPreviewSchema, "The invitation, pending, accepted or expired."), 404: jsonResponse(ErrorSchema, "Unknown invitation link.") },
});

function invitationView(row: typeof invitations.$inferSelect): z.infer<typeof InvitationSchema> {
  return { id: row.id, email: row.email, role: row.role, invitedBy: row.invitedBy, expiresAt: row.expiresAt.toISOString(), createdAt: row.createdAt.toISOString() };
}

const pending = () => and(isNull(invitations.acceptedAt), gt(invitations.expiresAt, new Date()));

export const invitationRoutes = createApp()
  .openapi(createInvitationRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    const { org: orgId } = c.req.valid("param");
    const { email, role } = c.req.valid("json");
    const db = c.var.db();
    await requireOrgRole(db, orgId, auth.user.id, "admin");
    await enforceRateLimits(db, [{ key: `invite:user:${auth.user.id}`, limit: 50, windowSeconds: 3600 }]);
    const token = randomToken();
    const { org, invitation } = await db.transaction(async (tx) => {
      const { org, role: actorRole } = await lockOrgMember(tx, orgId, auth.user.id);
      refuse(checkInvitation(actorRole, role));
      const [member] = await tx
        .select({ id: users.id })
        .from(users)
        .innerJoin(organizationsMembers, and(eq(organizationsMembers.userId, users.id), eq(organizationsMembers.orgId, orgId)))
        .where(eq(users.email, email));
      if (member) throw new ApiError(409, "already_member", `${email} is already a member of ${org.name}.`);
      await tx.delete(invitations).where(and(eq(invitations.orgId, orgId), eq(invitations.email, email), isNull(invitations.acceptedAt)));
      const [invitation] = await tx
        .insert(invitations)
        .values({ orgId, email, role, tokenHash: await hashToken(token), invitedBy: auth.user.id, expiresAt: new Date(Date.now() + INVITATION_TTL_MS) })
        .returning();
      await audit(c, tx, { orgId, action: "org.invitation.create", targetType: "invitation", targetId: invitation!.id, data: { email, role } });
      return { org, invitation: invitation! };
    });
    try {
      await sendEmail(c, emails.invitation(email, org.name, auth.user.name || auth.user.email, appUrl(c, `/invitations/accept?token=${token}`)));
    } catch (error) {
      // Nobody received the link: withdraw the invitation rather than leave a dead one pending.
      await db.transaction(async (tx) => {
        await tx.delete(invitations).where(eq(invitations.id, invitation.id));
        await audit(c, tx, { orgId, action: "org.invitation.revoke", targetType: "invitation", targetId: invitation.id, data: { reason: "email_failed" } });
      });
      throw error;
    }
    return c.json(invitationView(invitation), 201);
  })
  .openapi(listInvitationsRoute, async (c) => {
    const auth = requireAuth(c, "orgs:read");
    const { org } = c.req.valid("param");
    const db = c.var.db();
    await requireOrgRole(db, org, auth.user.id, "admin");
    const rows = await db.select().from(invitations).where(and(eq(invitations.orgId, org), pending())).orderBy(asc(invitations.createdAt), asc(invitations.id));
    return c.json({ invitations: rows.map(invitationView) }, 200);
  })
  .openapi(revokeInvitationRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    const { org, id } = c.req.valid("param");
    await c.var.db().transaction(async (tx) => {
      await requireOrgRole(tx, org, auth.user.id, "admin");
      const [revoked] = await tx.delete(invitations).where(and(eq(invitations.id, id), eq(invitations.orgId, org), isNull(invitations.acceptedAt))).returning();
      if (!revoked) throw new ApiError(404, "invitation_not_found", "No pending invitation with this id in the organization.");
      await audit(c, tx, { orgId: org, action: "org.invitation.revoke", targetType: "invitation", targetId: id, data: { email: revoked.email } });
    });
    return c.body(null, 204);
  })
  .openapi(previewRoute, async (c) => {
    const { token } = c.req.valid("json");
    const [row] = await c.var
      .db()
      .select({ invitation: invitations, org: { id: organizations.id, name: organizations.name }, inviter: { name: users.name, email: users.email } })
      .from(invitations)
      .innerJoin(organizations, eq(organizations.id, invitations.orgId))
      .leftJoin(users, eq(users.id, invitations.invitedBy))
      .where(eq(invitations.tokenHash, await hashToken(token)));
    if (!row) throw new ApiError(404, "invitation_not_found", "This invitation link is not valid. Ask for a new invitation.");
    const { invitation, org, inviter } = row;
    const state = invitation.acceptedAt ? "accepted" : invitation.expiresAt <= new Date() ? "expired" : "pending";
    return c.json(
      {
        org,
        invitedBy: inviter ? { name: inviter.name || inviter.email } : null,
        role: invitation.role,
        email: invitation.email,
        state,
        expiresAt: invitation.expiresAt.toISOString(),
      } as const,
      200,
    );
  })
  .openapi(acceptRoute, async (c) => {
    const auth = requireAuth(c, "orgs:write");
    requireConfirmedEmail(auth.user);
    const { token } = c.req.valid("json");
    const tokenHash = await hashToken(token);
    const result = await c.var.db().transaction(async (tx) => {
      // Locked, so two tabs accepting at once use it once.
      const [invitation] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).for("update");
      if (!invitation) throw new ApiError(404, "invitation_not_found", "This invitation link is not valid. Ask for a new invitation.");
      if (invitation.acceptedAt) throw new ApiError(409, "invitation_used", "This invitation has already been used.");
      if (invitation.expiresAt <= new Date()) throw new ApiError(410, "invitation_expired", "This invitation has expired. Ask an admin of the organization to invite you again.");
      // Both are stored lower-cased; comparing lower-cased again also covers rows written another way.
      if (invitation.email.toLowerCase() !== auth.user.email.toLowerCase()) throw new ApiError(403, "invitation_email_mismatch", `This invitation was sent to another email address. Sign in as ${invitation.email} to accept it.`);
      const [joined] = await tx.insert(organizationsMembers).values({ orgId: invitation.orgId, userId: auth.user.id, role: invitation.role }).onConflictDoNothing().returning();
      if (!joined) throw new ApiError(409, "already_member", "You are already a member of this organization.");
      await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, invitation.id));
      await audit(c, tx, { orgId: invitation.orgId, action: "org.invitation.accept", targetType: "invitation", targetId: invitation.id, data: { role: invitation.role } });
      const [org] = await tx.select().from(organizations).where(eq(organizations.id, invitation.orgId));
      return { org: orgView(org!, joined.role) };
    });
    await pushMembership(c, result.org.id);
    return c.json(result, 200);
  });
