/**
 * From a provider's identity to a Kiln user. Accounts are linked only through a verified
 * email; linking to an account whose own email was never confirmed claims it (auth/claim.ts).
 */
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { Executor } from "../../../drizzle/client";
import { oauthAccounts, users } from "../../../drizzle/schema";
import { claimAccount } from "../auth/claim";
import type { User } from "../auth/sessions";
import type { AppEnv } from "../env";
import { audit } from "../lib/audit";
import { type Identity, OAuthError, storableIdentity } from "./identity";

/**
 * The user to sign in as, creating or linking the account as the rules allow. Every provider's
 * identity reaches the database only through here, so it is made storable here first.
 */
export async function userForIdentity(c: Context<AppEnv>, tx: Executor, provider: string, providerIdentity: Identity): Promise<User> {
  const identity = storableIdentity(providerIdentity);
  const [linked] = await tx
    .select({ user: users })
    .from(oauthAccounts)
    .innerJoin(users, eq(users.id, oauthAccounts.userId))
    .where(and(eq(oauthAccounts.provider, provider), eq(oauthAccounts.providerUserId, identity.providerUserId)));
  if (linked) return linked.user;

  if (!identity.email || !identity.emailVerified) {
    throw new OAuthError("email_unverified", "Your account at the provider has no verified email address: verify it there, or sign in another way.");
  }
  const email = identity.email;
  let [user] = await tx.select().from(users).where(eq(users.email, email));
  if (user) user = await claimAccount(tx, user);
  if (!user) {
    [user] = await tx
      .insert(users)
      .values({ email, emailVerifiedAt: new Date(), name: identity.name ?? email.split("@")[0]!, avatarUrl: identity.avatarUrl })
      .returning();
    await audit(c, tx, { action: "user.signup", targetType: "user", targetId: user!.id, actorUserId: user!.id, data: { method: `oauth:${provider}` } });
  }
  await tx.insert(oauthAccounts).values({ provider, providerUserId: identity.providerUserId, userId: user!.id, email });
  await audit(c, tx, { action: "user.oauth_linked", targetType: "user", targetId: user!.id, actorUserId: user!.id, data: { provider } });
  return user!;
}
