/**
 * The provider's metadata (OpenID Connect Discovery 1.0) for an org's issuer,
 * `{app}/oidc/{org}`. Pure: the worker serves it without waking the gateway.
 */
import { SIGNING_ALG } from "./keys";

/** The scopes the provider knows; `openid` is required, `profile` adds the name, `email` the email. */
export const SCOPES = ["openid", "profile", "email"] as const;

/** The provider's metadata at `{issuer}/.well-known/openid-configuration`. */
export function discoveryDocument(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    scopes_supported: [...SCOPES],
    claims_supported: ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "name", "email", "roles"],
    authorization_response_iss_parameter_supported: true,
  };
}
