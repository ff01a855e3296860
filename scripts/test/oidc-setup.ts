/**
 * Vitest global setup: a real OpenID Connect provider on loopback (oauth2-mock-server),
 * for the workerd tests of OAuth sign-in. Who signs in is chosen by the test through the
 * standard `login_hint` parameter: the id_token's email is the hint, verified unless the
 * hint starts with "unverified", and `sub` is derived from it (stable per email). A test may
 * set or override any claim with a `claims` parameter (a JSON object) on the authorize
 * request: JSON, because a URL cannot carry a lone UTF-16 surrogate, and the id_token can.
 */
import { OAuth2Server } from "oauth2-mock-server";

export default async function setup(): Promise<() => Promise<void>> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  const hints = new Map<string, string>();
  const extraClaims = new Map<string, object>();
  server.service.on("beforeAuthorizeRedirect", (redirect: { url: URL }, req: { query: Record<string, unknown> }) => {
    const code = redirect.url.searchParams.get("code");
    if (code && typeof req.query.login_hint === "string") hints.set(code, req.query.login_hint);
    if (code && typeof req.query.claims === "string") extraClaims.set(code, JSON.parse(req.query.claims));
  });
  server.service.on("beforeTokenSigning", (token: { payload: Record<string, unknown> }, req: { body: Record<string, unknown> }) => {
    const code = typeof req.body.code === "string" ? req.body.code : "";
    const hint = hints.get(code);
    if (!hint) return;
    token.payload.sub = `sub-${hint}`;
    token.payload.email = hint;
    token.payload.email_verified = !hint.startsWith("unverified");
    token.payload.name = hint.split("@")[0];
    Object.assign(token.payload, extraClaims.get(code));
  });
  const port = Number(process.env.KILN_TEST_OIDC_PORT);
  await server.start(port, "127.0.0.1");
  // It names itself http://localhost:…; the worker is configured with the loopback address.
  server.issuer.url = `http://127.0.0.1:${port}`;
  return () => server.stop();
}
