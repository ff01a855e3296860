import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("API documentation", () => {
  it("serves an OpenAPI 3.1 document listing the routes", async () => {
    const res = await SELF.fetch("http://kiln.test/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/health", "/gw/{orgId}/ping"]));
    expect(doc.paths["/api/health"]).toHaveProperty("get");
  });

  it("serves a browsable reference page that loads its script from our own origin", async () => {
    const res = await SELF.fetch("http://kiln.test/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("/api/openapi.json");
    expect(html).toContain('src="/vendor/scalar/standalone.js"');
  });
});
