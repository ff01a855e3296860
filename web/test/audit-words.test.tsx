import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../src/api/types";
import { describeEntry, personName } from "../src/pages/org/audit-words";

const bob = "6f1c2a3b-0000-4000-8000-000000000002";
const gone = "6f1c2a3b-0000-4000-8000-000000000009";
const lab = "7a1c2a3b-0000-4000-8000-000000000001";
const names = { people: { [bob]: { name: "Bob Noyce", email: "bob@kiln.test" } }, projects: { [lab]: { name: "Secret Lab" } } };
const entry = (action: string, targetType: string, targetId: string | null, data: Record<string, unknown> | null): AuditEntry => ({
  id: 1,
  actorUserId: null,
  action,
  targetType,
  targetId,
  data,
  ip: null,
  userAgent: null,
  createdAt: "2026-01-01T00:00:00.000Z",
});

describe("the audit log in words", () => {
  it("says whose role changed, and where", () => {
    expect(describeEntry(entry("org.member.role", "user", bob, { from: "member", to: "admin" }), names)).toBe("changed Bob Noyce’s role from member to admin");
    expect(describeEntry(entry("project.member.role", "user", bob, { project: lab, from: "member", to: "admin" }), names)).toBe("changed Bob Noyce’s role in Secret Lab from member to admin");
    expect(describeEntry(entry("project.member.add", "user", bob, { project: lab, from: null, to: "member" }), names)).toBe("added Bob Noyce to Secret Lab as member");
    expect(describeEntry(entry("org.member.remove", "user", gone, { role: "admin" }), names)).toBe("removed a deleted account from the organization (admin)");
  });

  it("names projects, renames and invitations", () => {
    expect(describeEntry(entry("project.update", "project", lab, { from: { name: "Lab", visibility: "org" }, to: { name: "Secret Lab" } }), names)).toBe("renamed the project Lab to Secret Lab");
    expect(describeEntry(entry("project.delete", "project", gone, { name: "Old" }), names)).toBe("deleted the project Old");
    expect(describeEntry(entry("org.rename", "org", null, { from: "Acme Research", to: "Acme Labs" }), names)).toBe("renamed the organization from “Acme Research” to “Acme Labs”");
    expect(describeEntry(entry("org.invitation.create", "invitation", null, { email: "cy@kiln.test", role: "admin" }), names)).toBe("invited cy@kiln.test as admin");
    expect(describeEntry(entry("something.new", "x", null, null), names)).toBe("something.new");
    expect(personName(names, bob)).toBe("Bob Noyce");
  });
});
