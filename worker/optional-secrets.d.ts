/**
 * Secrets that only some deployments set, so they are not in `secrets.required` and
 * `wrangler types` cannot list them. Merged into the generated `Env`.
 */
interface Env {
  /** Bearer token of the HTTP email API (EMAIL_PROVIDER=http). */
  EMAIL_API_KEY?: string;
  GITHUB_CLIENT_SECRET?: string;
  GOOGLE_CLIENT_SECRET?: string;
  OIDC_CLIENT_SECRET?: string;
}
