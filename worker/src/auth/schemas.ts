/** zod schemas shared by the account routes. */
import { z } from "@hono/zod-openapi";
import { PASSWORD_MAX, PASSWORD_MIN } from "./password";
import { isAppPath } from "../../../protocol/app-path";
import type { User as PublicUser } from "../../../protocol/api/account";
import { StorableTextSchema } from "../lib/storable-text";

/** Trimmed and lower-cased before it is checked, so one address is one account. */
export const EmailSchema = StorableTextSchema.trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address." }).max(254))
  .openapi({ example: "ada@example.com", format: "email" });

/** 8 to 256 characters (not bytes) of anything; never truncated. */
export const PasswordSchema = z
  .string()
  .refine((p) => [...p].length >= PASSWORD_MIN, { message: `Use at least ${PASSWORD_MIN} characters.` })
  .refine((p) => [...p].length <= PASSWORD_MAX, { message: `Use at most ${PASSWORD_MAX} characters.` })
  .openapi({ example: "correct horse battery staple" });

/** A person's, organization's or API key's name: trimmed, 1 to 100 characters. */
export const NameSchema = StorableTextSchema.trim().min(1).max(100);

/** Where to land after signing in: a path of this app only (no `//host`, `/\host` or hidden control characters). */
export const RedirectSchema = StorableTextSchema.max(512)
  .refine(isAppPath, "Must be a path in this app.")
  .openapi({ description: "A path of this app to return to after signing in, e.g. `/orgs/…`.", example: "/account" });

/** An emailed link into the app, carrying the page to return to (none for `/`). */
export function linkWithRedirect(path: string, redirect: string | undefined): string {
  return redirect && redirect !== "/" ? `${path}&redirect=${encodeURIComponent(redirect)}` : path;
}

/** A user as they see themselves (protocol/api/account.ts). */
export { UserSchema as PublicUserSchema, type User as PublicUser } from "../../../protocol/api/account";

/** What a client may see of a user row. */
export function publicUser(user: { id: string; email: string; name: string; emailVerifiedAt: Date | null; avatarUrl: string | null; createdAt: Date }): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    emailVerified: user.emailVerifiedAt !== null,
    avatarUrl: user.avatarUrl,
    createdAt: user.createdAt.toISOString(),
  };
}

/** The answer to every way of signing in: done, or a second factor owed. */
export { SignInResultSchema, type SignInResult } from "../../../protocol/api/account";

/** The token of an emailed link, as the web app copies it from the URL. */
export const EmailTokenSchema = z.string().min(1).max(200).openapi({ example: "q8V…43 characters…" });

/** A 6-digit code from an authenticator app (spaces ignored). */
export const TotpCodeSchema = z
  .string()
  .transform((code) => code.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, { message: "Enter the 6-digit code from your authenticator app." }))
  .openapi({ example: "123456", pattern: "^\\d{6}$" });

/** A recovery code as printed (`xxxx-xxxx-xxxx-xxxx`); case, spaces and dashes ignored. */
export const RecoveryCodeSchema = z.string().min(1).max(64).openapi({ example: "abcd-efgh-ijkl-mnop" });

/** An answer that only says the request was taken (no hint whether an account exists). */
export { AcceptedSchema } from "../../../protocol/api/common";
