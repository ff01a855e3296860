/** What `/api/auth/*`, `/api/me` and `/api/account/*` answer. */
import { z } from "zod";
import { OrgRoleSchema } from "../enums";
import { TimestampSchema } from "./common";

/** A user as they see themselves. */
export const UserSchema = z
  .object({ id: z.uuid(), email: z.email(), name: z.string(), emailVerified: z.boolean(), avatarUrl: z.string().nullable(), createdAt: TimestampSchema })
  .meta({ id: "User" });
export type User = z.infer<typeof UserSchema>;

/** `GET /api/me`. */
export const MeSchema = z
  .object({
    user: UserSchema.extend({ totpEnabled: z.boolean() }),
    orgs: z.array(z.object({ id: z.uuid(), name: z.string(), role: OrgRoleSchema })),
    via: z.enum(["session", "api_key"]).meta({ description: "How this request was authenticated." }),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof MeSchema>;

/** The answer to every way of signing in: done, or a second factor owed. */
export const SignInResultSchema = z
  .discriminatedUnion("status", [z.object({ status: z.literal("signed_in"), user: UserSchema }), z.object({ status: z.literal("mfa_required") })])
  .meta({ id: "SignInResult" });
export type SignInResult = z.infer<typeof SignInResultSchema>;

/** `GET /api/auth/providers`: the sign-in providers configured (named, not numbered). */
export const OAuthProviderSchema = z.object({ id: z.string(), name: z.string(), startUrl: z.string() });
export type OAuthProvider = z.infer<typeof OAuthProviderSchema>;
export const OAuthProvidersSchema = z.object({ providers: z.array(OAuthProviderSchema) }).meta({ id: "OAuthProviders" });

/** `POST /api/auth/verify-email`. */
export const EmailVerifiedSchema = z.object({ email: z.email(), emailVerified: z.literal(true) }).meta({ id: "EmailVerified" });

/** `POST /api/account/totp/setup`. */
export const TotpSetupSchema = z
  .object({
    secret: z.string().meta({ description: "Base32, for typing into an authenticator app." }),
    otpauthUri: z.string().meta({ description: "`otpauth://totp/…`, to show as a QR code." }),
  })
  .meta({ id: "TotpSetup" });

/** New recovery codes. */
export const RecoveryCodesSchema = z
  .object({ recoveryCodes: z.array(z.string()).meta({ description: "Shown this once: each works once in place of a code." }) })
  .meta({ id: "RecoveryCodes" });

/** A signed-in session of the caller's. */
export const SessionSchema = z
  .object({
    id: z.uuid(),
    method: z.string().meta({ description: "How it was opened: `password`, `magic_link`, `password_reset`, `oauth:github`, …" }),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: TimestampSchema,
    lastSeenAt: TimestampSchema,
    expiresAt: TimestampSchema,
    current: z.boolean().meta({ description: "The session making this request." }),
  })
  .meta({ id: "Session" });
export type Session = z.infer<typeof SessionSchema>;
export const SessionListSchema = z.object({ sessions: z.array(SessionSchema) }).meta({ id: "SessionList" });
export const SessionsRevokedSchema = z.object({ revoked: z.int() }).meta({ id: "SessionsRevoked" });

/** An API key as its owner sees it (never the secret after creation). */
export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ example: "kiln_Xy3kP9q" }),
    scopes: z.array(z.string()),
    createdAt: TimestampSchema,
    expiresAt: TimestampSchema.nullable(),
    lastUsedAt: TimestampSchema.nullable(),
    revokedAt: TimestampSchema.nullable(),
  })
  .meta({ id: "ApiKey" });
export type ApiKey = z.infer<typeof ApiKeySchema>;
export const ApiKeyListSchema = z.object({ apiKeys: z.array(ApiKeySchema) }).meta({ id: "ApiKeyList" });
/** A new key, with its secret: shown this once. */
export const ApiKeyCreatedSchema = z.object({ apiKey: ApiKeySchema, key: z.string().meta({ example: "kiln_…" }) }).meta({ id: "ApiKeyCreated" });
