import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("API documentation", () => {
  it("serves an OpenAPI 3.1 document listing the routes", async () => {
    const res = await SELF.fetch("http://kiln.test/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/health", "/gw/{org}/ping"]));
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

interface Schema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

/** Every property schema in `schema`, with its name and where it is. */
function* properties(where: string, schema: Schema): Generator<[string, string, Schema]> {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    yield [`${where}.${name}`, name, property];
    yield* properties(`${where}.${name}`, property);
  }
  if (schema.items) yield* properties(`${where}[]`, schema.items);
  for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) yield* properties(where, member);
}

describe("formats in the API document", () => {
  it("gives emails, ids, times and TOTP codes their formats", async () => {
    const doc = await (await SELF.fetch("http://kiln.test/api/openapi.json")).json<{
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: Schema }[] }>>;
      components: { schemas: Record<string, Schema> };
    }>();
    const wrong: string[] = [];
    const expectFormat = (where: string, schema: Schema, format: string) => {
      if (schema.format !== format) wrong.push(`${where}: format ${schema.format ?? "none"}, not ${format}`);
    };
    const expectPattern = (where: string, schema: Schema, pattern: string) => {
      if (schema.pattern !== pattern) wrong.push(`${where}: pattern ${schema.pattern ?? "none"}, not ${pattern}`);
    };
    for (const [name, component] of Object.entries(doc.components.schemas)) {
      for (const [where, property, schema] of properties(name, component)) {
        const isString = schema.type === "string" || (Array.isArray(schema.type) && schema.type.includes("string"));
        if (!isString) continue;
        if (property === "email") expectFormat(where, schema, "email");
        // OAuth providers are named (`github`, `oidc`), not numbered.
        // Container ids are 12 lower-case letters and digits, so that they fit a host name.
        if (property === "id" && /^Container/.test(where)) expectPattern(where, schema, "^[a-z0-9]{12}$");
        // Image ids are 16 base64url characters (the gateway's record ids).
        else if (property === "id" && /^UploadedImage/.test(where)) expectPattern(where, schema, "^[A-Za-z0-9_-]{16}$");
        else if (property === "id" && where !== "OAuthProviders.providers[].id") expectFormat(where, schema, "uuid");
        if (/At$/.test(property) || property === "at" || property === "time") expectFormat(where, schema, "date-time");
      }
    }
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const parameter of operation.parameters ?? []) {
          const where = `${method} ${path} ${parameter.in} ${parameter.name}`;
          if (parameter.in === "path" && parameter.name === "container") expectPattern(where, parameter.schema, "^[a-z0-9]{12}$");
          // Reading an org, or whether one may open a project, takes the org's slug (the app's address) as well as its id.
          else if (parameter.in === "path" && parameter.name === "org" && (path === "/api/orgs/{org}" || path === "/api/orgs/{org}/projects/{project}/access") && method === "get") expectPattern(where, parameter.schema, "^[a-z0-9-]+$");
          else if (parameter.in === "path" && parameter.name !== "provider") expectFormat(where, parameter.schema, "uuid");
          if (parameter.name === "login_hint") expectFormat(where, parameter.schema, "email");
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(doc.components.schemas.TotpCode!.properties!.code!.pattern).toBe("^\\d{6}$");
    expect(doc.components.schemas.Signup!.properties!.email!.format).toBe("email");
  });
});
