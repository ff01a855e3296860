/** What `/api/orgs/*` and `/api/invitations/*` answer. */
import { z } from "zod";
import { OrgRoleSchema, ProjectRoleSchema, ProjectVisibilitySchema } from "../enums";
import { TimestampSchema } from "./common";

export const OrgSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string().meta({ description: "Its name in the app's URLs (`/orgs/{slug}`), unique; kept when the org is renamed.", example: "acme-labs" }),
    role: OrgRoleSchema.meta({ description: "Your role in it." }),
    createdAt: TimestampSchema,
  })
  .meta({ id: "Org" });
export type Org = z.infer<typeof OrgSchema>;
export const OrgListSchema = z.object({ orgs: z.array(OrgSchema) }).meta({ id: "OrgList" });

/** What a co-member may see of another user. */
export const UserSummarySchema = z.object({ id: z.uuid(), email: z.email(), name: z.string(), avatarUrl: z.string().nullable() }).meta({ id: "UserSummary" });
export type UserSummary = z.infer<typeof UserSummarySchema>;

export const OrgMemberSchema = z.object({ user: UserSummarySchema, role: OrgRoleSchema, joinedAt: TimestampSchema }).meta({ id: "OrgMember" });
export type OrgMember = z.infer<typeof OrgMemberSchema>;
export const OrgMemberListSchema = z.object({ members: z.array(OrgMemberSchema) }).meta({ id: "OrgMemberList" });

export const InvitationSchema = z
  .object({ id: z.uuid(), email: z.email(), role: OrgRoleSchema, invitedBy: z.uuid().nullable(), expiresAt: TimestampSchema, createdAt: TimestampSchema })
  .meta({ id: "Invitation" });
export type Invitation = z.infer<typeof InvitationSchema>;
export const InvitationListSchema = z.object({ invitations: z.array(InvitationSchema) }).meta({ id: "InvitationList" });
/** `POST /api/invitations/preview`: what an invitation link offers, shown before signing in. */
export const InvitationPreviewSchema = z
  .object({
    org: z.object({ id: z.uuid(), name: z.string() }),
    invitedBy: z.object({ name: z.string() }).nullable().meta({ description: "Null when the inviter's account is gone." }),
    role: OrgRoleSchema,
    email: z.email().meta({ description: "The address invited: only its owner may accept." }),
    state: z.enum(["pending", "accepted", "expired"]),
    expiresAt: TimestampSchema,
  })
  .meta({ id: "InvitationPreview" });
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>;
export const InvitationAcceptedSchema = z.object({ org: OrgSchema }).meta({ id: "InvitationAccepted" });

export const ProjectSchema = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    name: z.string(),
    visibility: ProjectVisibilitySchema,
    role: ProjectRoleSchema.nullable().meta({ description: "Your role in the project, if you are a member." }),
    createdAt: TimestampSchema,
  })
  .meta({ id: "Project" });
export type Project = z.infer<typeof ProjectSchema>;
/** A project as the org's list shows it: with its last edit by a person, which the org's gateway reports. */
export const ProjectListItemSchema = ProjectSchema.extend({
  lastEdit: z
    .object({ at: TimestampSchema, by: z.object({ id: z.uuid(), name: z.string() }).nullable().meta({ description: "Null when that person's account is gone." }) })
    .nullable()
    .meta({ description: "The last change a person made to the board; null when nobody has yet, or the gateway did not answer." }),
}).meta({ id: "ProjectListItem" });
export type ProjectListItem = z.infer<typeof ProjectListItemSchema>;
export const ProjectListSchema = z.object({ projects: z.array(ProjectListItemSchema) }).meta({ id: "ProjectList" });

/**
 * `GET /api/orgs/{org}/projects/{project}/access`: whether you may open a project, and if not,
 * why, for the page to say so. Someone outside the org learns only that the org exists.
 */
export const ProjectAccessSchema = z
  .discriminatedUnion("access", [
    z.object({ access: z.literal("open") }),
    z.object({ access: z.literal("no_access"), reason: z.enum(["not_org_member", "members_only"]), org: z.object({ name: z.string() }).nullable().meta({ description: "Named for its members only." }) }),
    z.object({ access: z.literal("not_found") }),
  ])
  .meta({ id: "ProjectAccess" });
export type ProjectAccess = z.infer<typeof ProjectAccessSchema>;

export const ProjectMemberSchema = z.object({ user: UserSummarySchema, role: ProjectRoleSchema, addedAt: TimestampSchema }).meta({ id: "ProjectMember" });
export type ProjectMember = z.infer<typeof ProjectMemberSchema>;
export const ProjectMemberListSchema = z.object({ members: z.array(ProjectMemberSchema) }).meta({ id: "ProjectMemberList" });

/** One entry of an organization's audit log. */
export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    actorUserId: z.uuid().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: TimestampSchema,
  })
  .meta({ id: "AuditEntry" });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditPageSchema = z
  .object({
    entries: z.array(AuditEntrySchema),
    next: z.number().int().nullable().meta({ description: "Pass as `before` for the next page; null at the end." }),
    people: z
      .record(z.string(), z.object({ name: z.string(), email: z.string() }))
      .meta({ description: "The people the page's entries name (actors, and users acted on), by id, as they are now: former members too." }),
    projects: z.record(z.string(), z.object({ name: z.string() })).meta({ description: "The projects the page's entries name, by id, while they exist." }),
  })
  .meta({ id: "AuditPage" });

/** `POST /api/orgs/{org}/projects/{project}/connect`: a short-lived token for the project's gateway socket. */
export const GatewayTicketSchema = z
  .object({
    url: z.string().meta({ example: "wss://kiln.example/gw/0d6c…/projects/5f1e…/ws" }),
    token: z.string().meta({ description: "Append as `?token=` to the URL. ES256 JWT, audience `kiln-gateway`; keys at /.well-known/jwks.json." }),
    expiresAt: TimestampSchema,
  })
  .meta({ id: "GatewayConnect" });
export type GatewayTicket = z.infer<typeof GatewayTicketSchema>;
