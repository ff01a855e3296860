/** The sign-in providers this deployment offers: those whose client id and secret are set. */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { appUrl } from "../lib/app-url";
import { githubProvider } from "./github";
import type { Provider } from "./identity";
import { oidcProvider } from "./oidc";

/** Every configured provider, keyed by id (`github`, `google`, `oidc`). */
export function configuredProviders(c: Context<AppEnv>): Map<string, Provider> {
  const env = c.env;
  const redirectUri = (id: string) => appUrl(c, `/api/auth/oauth/${id}/callback`);
  const providers = new Map<string, Provider>();
  if (env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET) {
    providers.set("github", githubProvider({ clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET, redirectUri: redirectUri("github") }));
  }
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    providers.set(
      "google",
      oidcProvider({ id: "google", name: "Google", issuer: "https://accounts.google.com", clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET, redirectUri: redirectUri("google") }),
    );
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    providers.set(
      "oidc",
      oidcProvider({ id: "oidc", name: env.OIDC_NAME || "Single sign-on", issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET, redirectUri: redirectUri("oidc") }),
    );
  }
  return providers;
}
