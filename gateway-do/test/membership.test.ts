import { describe, expect, it } from "vitest";
import { parseSocketPath } from "../src/auth";
import { type MembershipSnapshot, accessDeniedReason, canSeeProject, projectAccess } from "../src/membership";

const [org, owner, admin, member, outsider, open, closed] = Array.from({ length: 7 }, () => crypto.randomUUID()) as [string, string, string, string, string, string, string];
const snapshot: MembershipSnapshot = {
  org,
  version: 1,
  members: [
    { userId: owner, role: "owner" },
    { userId: admin, role: "admin" },
    { userId: member, role: "member" },
  ],
  projects: [
    { id: open, visibility: "org", members: [] },
    { id: closed, visibility: "members", members: [{ userId: member, role: "member" }] },
  ],
};

describe("project access (pure)", () => {
  it("lets org owners and admins see everything, members see org projects and their own", () => {
    expect(canSeeProject("owner", "members", null)).toBe(true);
    expect(canSeeProject("admin", "members", null)).toBe(true);
    expect(canSeeProject("member", "org", null)).toBe(true);
    expect(canSeeProject("member", "members", null)).toBe(false);
    expect(canSeeProject("member", "members", "member")).toBe(true);
  });

  it("reads roles from the snapshot and refuses with a reason", () => {
    expect(projectAccess(snapshot, member, closed)).toEqual({ ok: true, roles: { org: "member", project: "member" } });
    expect(projectAccess(snapshot, admin, closed)).toEqual({ ok: true, roles: { org: "admin", project: null } });
    expect(projectAccess(snapshot, outsider, open)).toEqual({ ok: false, reason: "not_a_member" });
    expect(projectAccess({ ...snapshot, projects: [{ id: closed, visibility: "members", members: [] }] }, member, closed)).toEqual({ ok: false, reason: "no_project_access" });
    expect(projectAccess(snapshot, member, crypto.randomUUID())).toEqual({ ok: false, reason: "no_project_access" });
    expect(accessDeniedReason("not_a_member", true)).toBe("removed from the organization");
    expect(accessDeniedReason("no_project_access", false)).toBe("no access to this project");
  });

  it("parses only /gw/{uuid}/projects/{uuid}/ws", () => {
    expect(parseSocketPath(`/gw/${org}/projects/${open}/ws`)).toEqual({ org, project: open });
    expect(parseSocketPath(`/gw/${org}/ws`)).toBeNull();
    expect(parseSocketPath(`/gw/${org}/projects/x/ws`)).toBeNull();
    expect(parseSocketPath(`/gw/${org}/projects/${open}/ws/more`)).toBeNull();
  });
});
