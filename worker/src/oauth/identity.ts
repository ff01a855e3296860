import { isStorableText, toStorableText } from "../lib/storable-text";

/** What a provider tells us about the person who signed in. */
export interface Identity {
  /** The provider's stable id for the person (`sub`, GitHub's numeric id…). */
  providerUserId: string;
  email: string | null;
  /** Only a verified email may create or link an account. */
  emailVerified: boolean;
  name: string | null;
  avatarUrl: string | null;
}

/** One configured sign-in provider. */
export interface Provider {
  id: string;
  name: string;
  /** The URL to send the browser to, given the flow's secrets. */
  authorizationUrl(flow: { state: string; codeVerifier: string; nonce: string; loginHint?: string }): Promise<URL>;
  /** Exchanges the code (PKCE) and returns the verified identity. */
  identify(flow: { code: string; codeVerifier: string; nonce: string }): Promise<Identity>;
}

/** A provider failure worth telling the person about (not a bug of ours). */
export class OAuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The identity as Postgres can store it. A provider's profile is input we do not control:
 * a display name is cleaned (NULs dropped, broken characters made U+FFFD; nothing left means
 * no name), an avatar URL that holds either is dropped, and an email or account id that holds
 * either refuses the sign-in, since changing one would make it another person's.
 */
export function storableIdentity(identity: Identity): Identity {
  if (!isStorableText(identity.providerUserId)) {
    throw new OAuthError("provider_error", "The sign-in provider sent an account id with a NUL character or a broken (half of a UTF-16 surrogate pair) character.");
  }
  if (identity.email !== null && !isStorableText(identity.email)) {
    throw new OAuthError(
      "email_unstorable",
      "Your email address at the provider holds a NUL character or a broken (half of a UTF-16 surrogate pair) character, which Kiln cannot store: correct it there, or sign in another way.",
    );
  }
  const name = identity.name === null ? null : toStorableText(identity.name).trim() || null;
  const avatarUrl = identity.avatarUrl !== null && isStorableText(identity.avatarUrl) ? identity.avatarUrl : null;
  return { ...identity, name, avatarUrl };
}
