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
