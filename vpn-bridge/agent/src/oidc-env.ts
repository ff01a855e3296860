/**
 * What a service that declares `oidc` needs to sign its visitors in with the org's OpenID
 * Connect provider: the issuer, its client id (`uc-{container}--{service}`) and its secret,
 * derived from the container's token as protocol/containers.ts `OIDC_SECRET_LABEL` says. The
 * token itself never reaches the service.
 */
import { createHash, createHmac } from "node:crypto";
import { OIDC_SECRET_LABEL } from "../../../protocol/containers.ts";

/** The client secret of `clientId` for a container holding `token`. */
export function oidcClientSecret(token: string, clientId: string): string {
  const tokenHash = createHash("sha256").update(token.slice(token.lastIndexOf(".") + 1), "utf8").digest("hex");
  return createHmac("sha256", Buffer.from(tokenHash, "utf8")).update(`${OIDC_SECRET_LABEL}${clientId}`, "utf8").digest("base64url");
}

/** The environment a service declaring `oidc` gets; nothing for one that does not, or without an issuer. */
export function oidcEnv(input: { container: string; token: string; service: string; declares: boolean; issuer: string | undefined }): Record<string, string> {
  if (!input.declares || !input.issuer) return {};
  const clientId = `uc-${input.container}--${input.service}`;
  return { KILN_OIDC_ISSUER: input.issuer, KILN_OIDC_CLIENT_ID: clientId, KILN_OIDC_CLIENT_SECRET: oidcClientSecret(input.token, clientId) };
}
