import { webcrypto } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OIDC_SECRET_LABEL, formatContainerToken } from "../../../protocol/containers.ts";
import { oidcClientSecret, oidcEnv } from "../src/oidc-env.ts";

/** The same derivation written apart, with WebCrypto (the worker's OIDC test checks the gateway accepts this one). */
async function independently(token: string, clientId: string): Promise<string> {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const digest = Buffer.from(await webcrypto.subtle.digest("SHA-256", utf8(token.split(".").at(-1)!))).toString("hex");
  const key = await webcrypto.subtle.importKey("raw", utf8(digest), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return Buffer.from(await webcrypto.subtle.sign("HMAC", key, utf8(`${OIDC_SECRET_LABEL}${clientId}`))).toString("base64url");
}

const token = formatContainerToken("0d6c3b8e-1f2a-4b5c-9d8e-7f6a5b4c3d2e", "abc123def456", "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg");

describe("a service's OpenID Connect client, from the agent", () => {
  it("derives the client secret as the protocol says (checked against an independent WebCrypto derivation)", async () => {
    const clientId = "uc-abc123def456--app";
    expect(oidcClientSecret(token, clientId)).toBe(await independently(token, clientId));
    // Not the token, and another service's is another secret.
    expect(oidcClientSecret(token, clientId)).not.toContain(token.split(".").at(-1)!);
    expect(oidcClientSecret(token, "uc-abc123def456--other")).not.toBe(oidcClientSecret(token, clientId));
  });

  it("gives the issuer, client id and secret only to a service that declares oidc, when the profile named an issuer", () => {
    const issuer = "https://kiln.example/oidc/0d6c3b8e-1f2a-4b5c-9d8e-7f6a5b4c3d2e";
    expect(oidcEnv({ container: "abc123def456", token, service: "app", declares: true, issuer })).toEqual({
      KILN_OIDC_ISSUER: issuer,
      KILN_OIDC_CLIENT_ID: "uc-abc123def456--app",
      KILN_OIDC_CLIENT_SECRET: oidcClientSecret(token, "uc-abc123def456--app"),
    });
    expect(oidcEnv({ container: "abc123def456", token, service: "app", declares: false, issuer })).toEqual({});
    expect(oidcEnv({ container: "abc123def456", token, service: "app", declares: true, issuer: undefined })).toEqual({});
  });
});
