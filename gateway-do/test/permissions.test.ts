import { describe, expect, it } from "vitest";
import { covers, isAllowed, parsePermission, permission } from "../src/permissions/permission";
import type { ModuleDefinition } from "../src/modules/kit";
import { modules } from "../src/modules/registry";
import { grantsFor, type Member } from "../src/permissions/roles";

describe("permission strings", () => {
  it("parse with and without a resource, and refuse anything else", () => {
    expect(parsePermission("user-containers:[user-container:*]:terminal")).toEqual({ module: "user-containers", type: "user-container", id: "*", action: "terminal" });
    expect(parsePermission("chats:send")).toEqual({ module: "chats", type: null, id: null, action: "send" });
    for (const bad of ["", "chats", "chats:[msg]:send", "Chats:send", "a:b:c", "chats:[m:1]", "chats:[m:1]:send:x"]) expect(parsePermission(bad), bad).toBeNull();
  });

  it("match: * stands for one part, a grant without a resource covers every resource", () => {
    const wanted = parsePermission(permission("notes", "edit", ["note", "n1"]))!;
    const grant = (g: string) => covers(parsePermission(g)!, wanted);
    expect(grant("notes:[note:n1]:edit")).toBe(true);
    expect(grant("notes:[note:*]:edit")).toBe(true);
    expect(grant("notes:[*:*]:*")).toBe(true);
    expect(grant("notes:edit")).toBe(true);
    expect(grant("*:*")).toBe(true);
    expect(grant("notes:[note:n2]:edit")).toBe(false);
    expect(grant("notes:[chat:n1]:edit")).toBe(false);
    expect(grant("chats:edit")).toBe(false);
    expect(grant("notes:read")).toBe(false);
    // A resource-specific grant does not cover a resource-less wanted permission.
    expect(covers(parsePermission("notes:[note:n1]:edit")!, parsePermission("notes:edit")!)).toBe(false);
  });

  it("isAllowed ignores malformed grants and refuses a malformed request", () => {
    expect(isAllowed(["not a permission", "chats:send"], "chats:send")).toBe(true);
    expect(isAllowed(["not a permission"], "chats:send")).toBe(false);
    expect(() => isAllowed(["*:*"], "nope")).toThrow("not a permission");
  });
});

describe("roles", () => {
  const base: Member = { userId: "u", orgRole: "member", projectRole: null, customGrants: [], hasCustomRoles: false };

  it("org owners and admins may do everything; plain members only through the project", () => {
    expect(isAllowed(grantsFor({ ...base, orgRole: "admin" }, "members"), "roles:manage-roles")).toBe(true);
    expect(grantsFor(base, "members")).toEqual([]);
    expect(isAllowed(grantsFor(base, "org"), "notes:[note:x]:edit")).toBe(true);
    expect(isAllowed(grantsFor(base, "org"), "roles:manage-roles")).toBe(false);
  });

  it("honours project roles (the seed platform ignored them)", () => {
    expect(isAllowed(grantsFor({ ...base, projectRole: "admin" }, "members"), "roles:manage-roles")).toBe(true);
    expect(isAllowed(grantsFor({ ...base, projectRole: "member" }, "members"), "core-graph:create")).toBe(true);
    expect(isAllowed(grantsFor({ ...base, projectRole: "member" }, "members"), "roles:manage-roles")).toBe(false);
  });

  it("lets custom roles alone apply to an implicit member: a read-only viewer", () => {
    const viewer: Member = { ...base, customGrants: ["*:read"], hasCustomRoles: true };
    const grants = grantsFor(viewer, "org");
    expect(isAllowed(grants, "notes:read")).toBe(true);
    expect(isAllowed(grants, "notes:[note:x]:edit")).toBe(false);
  });
});

describe("the permissions each module declares", () => {
  // Any payload: every field reads as the same id, enough to build the wanted permission.
  const anyPayload = new Proxy({}, { get: (_, key) => (key === Symbol.toPrimitive ? undefined : "x1") });
  const wanted = (module: ModuleDefinition) => [
    ...Object.values(module.events).map((event) => event.permission(anyPayload)),
    ...(module.editableTexts ?? []).map((text) => text.permission(text.path.map((part) => (part === "*" ? "x1" : part)))),
    ...(module.routes ?? []).flatMap((route) => route.checks ?? []).map((p) => p.replaceAll("*", "x1")),
  ];

  it.each(modules.map((m) => [m.name, m] as const))("%s: cover every permission its events, texts and routes check, and nothing else", (_, module) => {
    const needed = wanted(module);
    // A custom role made of the declared permissions can do everything the module checks…
    expect(needed.filter((p) => !isAllowed(module.permissions, p))).toEqual([]);
    // …and each declared permission is checked somewhere (none offered to role editors for nothing).
    expect(module.permissions.filter((d) => !needed.some((p) => isAllowed([d], p)))).toEqual([]);
  });
});
