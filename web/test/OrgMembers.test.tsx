import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Invitation, OrgMember } from "../src/api/types";
import { ada, error, me, renderAt, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const orgId = "22222222-2222-4222-8222-222222222222";
const base = `/api/orgs/${orgId}`;
const grace: OrgMember = { user: { id: "33333333-3333-4333-8333-333333333333", email: "grace@example.com", name: "Grace Hopper", avatarUrl: null }, role: "member", joinedAt: "2026-02-01T00:00:00.000Z" };
const adaMember: OrgMember = { user: { id: ada.id, email: ada.email, name: ada.name, avatarUrl: null }, role: "owner", joinedAt: "2026-01-01T00:00:00.000Z" };

function orgApi(role: "owner" | "member", invitations: Invitation[] = []) {
  return stubApi({
    "GET /api/me": me([{ id: orgId, name: "Acme", role }]),
    [`GET ${base}`]: { body: { id: orgId, name: "Acme", slug: "acme", role, createdAt: "2026-01-01T00:00:00.000Z" } },
    [`GET ${base}/members`]: { body: { members: [{ ...adaMember, role }, grace] } },
    [`GET ${base}/invitations`]: role === "member" ? error(403, "forbidden", "Admins only.") : { body: { invitations } },
    [`PATCH ${base}/members/${grace.user.id}`]: (body) => ({ body: { ...grace, role: (body as { role: string }).role } }),
    [`DELETE ${base}/members/${grace.user.id}`]: { status: 204 },
    [`POST ${base}/invitations`]: (body) => {
      const { email, role: invited } = body as { email: string; role: "member" };
      if (email === "grace@example.com") return error(409, "already_member", "grace@example.com is already a member of Acme.");
      return { status: 201, body: { id: "44444444-4444-4444-8444-444444444444", email, role: invited, invitedBy: ada.id, expiresAt: new Date(Date.now() + 7 * 86400e3).toISOString(), createdAt: new Date().toISOString() } };
    },
    [`DELETE ${base}/invitations/44444444-4444-4444-8444-444444444444`]: { status: 204 },
  });
}

describe("org page: members", () => {
  it("lets an owner change a member's role and remove them, after confirming", async () => {
    const calls = orgApi("owner");
    renderAt(`/orgs/${orgId}/members`);
    const role = await screen.findByLabelText("Role of Grace Hopper");
    // An owner may grant every role; her own row has no role picker.
    expect(within(role).getAllByRole("option").map((o) => o.textContent)).toEqual(["member", "admin", "owner"]);
    expect(screen.queryByLabelText("Role of Ada Lovelace")).toBeNull();

    fireEvent.change(role, { target: { value: "admin" } });
    await waitFor(() => expect((screen.getByLabelText("Role of Grace Hopper") as HTMLSelectElement).value).toBe("admin"));
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ role: "admin" });

    fireEvent.click(screen.getByRole("button", { name: "Remove Grace Hopper" }));
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    const question = screen.getByRole("group", { name: "Remove Grace Hopper from Acme?" });
    fireEvent.click(within(question).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(screen.queryByText("Grace Hopper")).toBeNull());
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([`${base}/members/${grace.user.id}`]);
  });

  it("invites by email with a role, lists the invitation as pending, and revokes it", async () => {
    const calls = orgApi("owner");
    renderAt(`/orgs/${orgId}/members`);
    expect(await screen.findByText("No pending invitations.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "linus@example.com" } });
    fireEvent.change(screen.getByLabelText("Role"), { target: { value: "admin" } });
    fireEvent.click(screen.getByRole("button", { name: "Send invitation" }));
    expect((await screen.findByRole("status")).textContent).toContain("Invitation sent to linus@example.com");
    const pending = screen.getByRole("list", { name: "Pending invitations" });
    expect(within(pending).getByText("linus@example.com")).toBeTruthy();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ email: "linus@example.com", role: "admin" });

    fireEvent.click(screen.getByRole("button", { name: "Revoke the invitation of linus@example.com" }));
    fireEvent.click(within(screen.getByRole("group", { name: "Revoke the invitation of linus@example.com?" })).getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText("No pending invitations.")).toBeTruthy();
  });

  it("says why an invitation was refused", async () => {
    orgApi("owner");
    renderAt(`/orgs/${orgId}/members`);
    fireEvent.change(await screen.findByLabelText("Email"), { target: { value: "grace@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Send invitation" }));
    expect((await screen.findByRole("alert")).textContent).toBe("grace@example.com is already a member of Acme.");
  });

  it("shows a plain member the list without controls, and no audit log tab", async () => {
    const calls = orgApi("member");
    renderAt(`/orgs/${orgId}/members`);
    expect(await screen.findByText("Grace Hopper")).toBeTruthy();
    expect(screen.queryByRole("combobox")).toBeNull();
    expect(screen.queryByRole("button", { name: /^Remove/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Send invitation" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Audit log" })).toBeNull();
    expect(calls.some((c) => c.path.endsWith("/invitations"))).toBe(false);
  });

  it("tells a non-member they have no access", async () => {
    stubApi({ "GET /api/me": me(), [`GET ${base}`]: error(404, "org_not_found", "No such organization.") });
    renderAt(`/orgs/${orgId}`);
    expect(await screen.findByRole("heading", { name: "You do not have access to this organization" })).toBeTruthy();
  });
});
