/** The pure role rules of worker/src/orgs/access.ts. */
import { describe, expect, it } from "vitest";
import { atLeast, canManageProject, canSeeProject, checkInvitation, checkRemoval, checkRoleChange, type OrgRole } from "../src/orgs/access";
import { isUniqueViolation } from "../src/orgs/membership";
import { likePattern } from "../src/routes/users";

const roles: OrgRole[] = ["member", "admin", "owner"];

describe("org roles", () => {
  it("orders member < admin < owner", () => {
    const table = roles.map((r) => roles.map((min) => atLeast(r, min)));
    expect(table).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });

  it("lets admins change roles, owners alone touch owner, and keeps a last owner", () => {
    const change = (actorRole: OrgRole, targetRole: OrgRole, newRole: OrgRole, ownerCount = 2) => checkRoleChange({ actorRole, targetRole, newRole, ownerCount })?.code ?? "ok";
    expect(change("member", "member", "admin")).toBe("forbidden");
    expect(change("admin", "member", "admin")).toBe("ok");
    expect(change("admin", "admin", "member")).toBe("ok");
    expect(change("admin", "member", "owner")).toBe("owner_required");
    expect(change("admin", "owner", "admin")).toBe("owner_required");
    expect(change("owner", "member", "owner")).toBe("ok");
    expect(change("owner", "owner", "admin", 2)).toBe("ok");
    expect(change("owner", "owner", "admin", 1)).toBe("last_owner");
    expect(change("owner", "owner", "owner", 1)).toBe("ok");
    expect(checkRoleChange({ actorRole: "owner", targetRole: "owner", newRole: "member", ownerCount: 1 })?.status).toBe(409);
  });

  it("lets anyone leave and admins remove others, but never the last owner", () => {
    const remove = (actorRole: OrgRole, targetRole: OrgRole, isSelf: boolean, ownerCount = 2) => checkRemoval({ actorRole, targetRole, isSelf, ownerCount })?.code ?? "ok";
    expect(remove("member", "member", true)).toBe("ok");
    expect(remove("member", "member", false)).toBe("forbidden");
    expect(remove("admin", "member", false)).toBe("ok");
    expect(remove("admin", "owner", false)).toBe("owner_required");
    expect(remove("owner", "owner", false, 2)).toBe("ok");
    expect(remove("owner", "owner", true, 1)).toBe("last_owner");
    expect(remove("owner", "owner", true, 2)).toBe("ok");
    expect(checkRemoval({ actorRole: "owner", targetRole: "owner", isSelf: true, ownerCount: 1 })?.message).toMatch(/last owner cannot leave/);
  });

  it("lets admins invite and owners alone invite owners", () => {
    expect(checkInvitation("member", "member")?.code).toBe("forbidden");
    expect(checkInvitation("admin", "admin")).toBeNull();
    expect(checkInvitation("admin", "owner")?.code).toBe("owner_required");
    expect(checkInvitation("owner", "owner")).toBeNull();
  });
});

describe("project rules", () => {
  it("shows members-only projects to their members and org admins; lets project admins and org admins manage", () => {
    expect(canSeeProject("member", "members", null)).toBe(false);
    expect(canSeeProject("member", "members", "member")).toBe(true);
    expect(canSeeProject("admin", "members", null)).toBe(true);
    expect(canManageProject("member", "member")).toBe(false);
    expect(canManageProject("member", "admin")).toBe(true);
    expect(canManageProject("admin", null)).toBe(true);
    expect(canManageProject("member", null)).toBe(false);
  });
});

describe("helpers", () => {
  it("escapes LIKE wildcards and finds unique violations through wrappers", () => {
    expect(likePattern("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
    expect(isUniqueViolation(new Error("wrapped", { cause: Object.assign(new Error("pg"), { code: "23505" }) }))).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error("pg"), { code: "23503" }))).toBe(false);
    expect(isUniqueViolation("nope")).toBe(false);
  });
});
