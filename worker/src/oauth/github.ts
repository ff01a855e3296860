/** GitHub sign-in (OAuth 2, not OIDC): the identity comes from its REST API. */
import { GitHub } from "arctic";
import { z } from "zod";
import { type Identity, OAuthError, type Provider } from "./identity";

const GitHubUserSchema = z.object({ id: z.number(), login: z.string(), name: z.string().nullable(), avatar_url: z.string().nullable() });
const GitHubEmailsSchema = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

/** The identity from GitHub's `/user` and `/user/emails` answers: the primary email, if verified. */
export function githubIdentity(user: unknown, emails: unknown): Identity {
  const u = GitHubUserSchema.parse(user);
  const primary = GitHubEmailsSchema.parse(emails).find((e) => e.primary);
  return {
    providerUserId: String(u.id),
    email: primary?.email.trim().toLowerCase() ?? null,
    emailVerified: primary?.verified ?? false,
    name: u.name ?? u.login,
    avatarUrl: u.avatar_url,
  };
}

async function githubApi(path: string, accessToken: string): Promise<unknown> {
  const res = await fetch(`https://api.github.com${path}`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "user-agent": "Kiln" },
  });
  if (!res.ok) throw new OAuthError("provider_error", `GitHub answered ${res.status} for ${path}.`);
  return res.json();
}

export function githubProvider(options: { clientId: string; clientSecret: string; redirectUri: string }): Provider {
  const github = new GitHub(options.clientId, options.clientSecret, options.redirectUri);
  return {
    id: "github",
    name: "GitHub",
    // GitHub does not support PKCE for OAuth apps' web flow in arctic; the state cookie guards it.
    authorizationUrl: async ({ state }) => github.createAuthorizationURL(state, ["read:user", "user:email"]),
    async identify({ code }) {
      let accessToken: string;
      try {
        accessToken = (await github.validateAuthorizationCode(code)).accessToken();
      } catch (error) {
        throw new OAuthError("code_rejected", `GitHub refused the authorization code (${error instanceof Error ? error.message : String(error)}).`);
      }
      return githubIdentity(await githubApi("/user", accessToken), await githubApi("/user/emails", accessToken));
    },
  };
}
