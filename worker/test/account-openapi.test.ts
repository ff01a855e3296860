import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

interface Operation {
  requestBody?: { required?: boolean };
  security?: unknown[];
}

describe("the account-security routes in the OpenAPI document", () => {
  it("lists every route, with required JSON bodies", async () => {
    const doc = await (await SELF.fetch("http://kiln.test/api/openapi.json")).json<{ paths: Record<string, Record<string, Operation>> }>();
    const expected: [string, string, boolean][] = [
      ["/api/auth/verify-email", "post", true],
      ["/api/auth/verify-email/resend", "post", false],
      ["/api/auth/password-reset/request", "post", true],
      ["/api/auth/password-reset", "post", true],
      ["/api/auth/magic-link/request", "post", true],
      ["/api/auth/magic-link/verify", "post", true],
      ["/api/auth/totp", "post", true],
      ["/api/account/totp/setup", "post", false],
      ["/api/account/totp/enable", "post", true],
      ["/api/account/totp/disable", "post", true],
      ["/api/account/totp/recovery-codes", "post", true],
      ["/api/account/sessions", "get", false],
      ["/api/account/sessions/{id}", "delete", false],
      ["/api/account/sessions/revoke-others", "post", false],
      ["/api/account/password", "post", true],
      ["/api/account/api-keys", "get", false],
      ["/api/account/api-keys", "post", true],
      ["/api/account/api-keys/{id}", "delete", false],
    ];
    for (const [path, method, hasBody] of expected) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation!.requestBody?.required ?? false, `${method} ${path} body`).toBe(hasBody);
    }
    // Routes reached without signing in say so.
    expect(doc.paths["/api/auth/password-reset/request"]!.post!.security).toEqual([]);
  });
});
