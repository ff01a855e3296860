import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { assignmentsOf, rolesOf } from "../../gateway-do/src/modules/roles";
import type { OrgMember, ProjectMember } from "../src/api/types";
import { GatewayFactory } from "../src/pages/project/use-project-gateway";
import { AppRoutes } from "../src/routes";
import { SessionProvider } from "../src/session/session";
import { ada, error, me, stubApi } from "./api-stub";
import { type FakeGateway, fakeGateway } from "./fake-gateway";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const orgId = "22222222-2222-4222-8222-222222222222";
const projectId = "55555555-5555-4555-8555-555555555555";
const api = `/api/orgs/${orgId}`;
const projectApi = `${api}/projects/${projectId}`;
const when = "2026-02-01T00:00:00.000Z";
const summary = (id: string, name: string) => ({ id, name, email: `${name.split(" ")[0]!.toLowerCase()}@example.com`, avatarUrl: null });
const adaUser = { id: ada.id, name: ada.name, email: ada.email, avatarUrl: null };
const grace = summary("33333333-3333-4333-8333-333333333333", "Grace Hopper");
const alan = summary("66666666-6666-4666-8666-666666666666", "Alan Turing");
const orgMembers: OrgMember[] = [
  { user: adaUser, role: "owner", joinedAt: when },
  { user: grace, role: "member", joinedAt: when },
  { user: alan, role: "member", joinedAt: when },
];

function projectSettingsApi(opts: { orgRole?: "owner" | "member"; projectRole?: "admin" | "member" | null; visibility?: "org" | "members"; members?: ProjectMember[] } = {}) {
  const orgRole = opts.orgRole ?? "owner";
  let members: ProjectMember[] = opts.members ?? [{ user: adaUser, role: "admin", addedAt: when }];
  return stubApi({
    "GET /api/me": me([{ id: orgId, name: "Acme", role: orgRole }]),
    [`GET ${api}`]: { body: { id: orgId, name: "Acme", slug: "acme", role: orgRole, createdAt: when } },
    [`GET ${projectApi}`]: { body: { id: projectId, orgId, name: "Lab", visibility: opts.visibility ?? "members", role: opts.projectRole === undefined ? "admin" : opts.projectRole, createdAt: when } },
    [`GET ${api}/members`]: { body: { members: orgMembers } },
    [`GET ${projectApi}/members`]: () => ({ body: { members } }),
    [`PUT ${projectApi}/members/${grace.id}`]: (body) => {
      const member = { user: grace, role: (body as { role: "admin" | "member" }).role, addedAt: when };
      members = [...members.filter((m) => m.user.id !== grace.id), member];
      return { body: member };
    },
    [`PUT ${projectApi}/members/${alan.id}`]: error(404, "member_not_found", "Only members of the organization can join its projects: invite them first."),
    [`DELETE ${projectApi}/members/${grace.id}`]: () => {
      members = members.filter((m) => m.user.id !== grace.id);
      return { status: 204 };
    },
  });
}

function renderSettings(path: string, gateway?: FakeGateway) {
  const ui = (
    <MemoryRouter initialEntries={[`/orgs/${orgId}/projects/${projectId}/settings${path}`]}>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </MemoryRouter>
  );
  return render(gateway ? <GatewayFactory.Provider value={gateway.connect}>{ui}</GatewayFactory.Provider> : ui);
}

describe("project settings: members", () => {
  it("adds an org member to a members-only project, changes their role and removes them", async () => {
    const calls = projectSettingsApi();
    renderSettings("/members");
    expect(await screen.findByText("Only the people listed here, and the organization's admins and owners, can open this project.")).toBeTruthy();
    const person = await screen.findByLabelText("Person");
    // Ada is in the project already: only the others are offered.
    await waitFor(() => expect(within(person).getAllByRole("option").map((o) => o.textContent)).toEqual(["Choose a member of the organization", "Grace Hopper (grace@example.com)", "Alan Turing (alan@example.com)"]));
    fireEvent.change(person, { target: { value: grace.id } });
    fireEvent.change(screen.getByLabelText("Project role"), { target: { value: "admin" } });
    fireEvent.click(screen.getByRole("button", { name: "Add to the project" }));
    expect((await screen.findByRole("status")).textContent).toBe("Grace Hopper is in the project now.");
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ role: "admin" });
    const role = screen.getByLabelText("Project role of Grace Hopper") as HTMLSelectElement;
    expect(role.value).toBe("admin");

    fireEvent.change(role, { target: { value: "member" } });
    await waitFor(() => expect((screen.getByLabelText("Project role of Grace Hopper") as HTMLSelectElement).value).toBe("member"));
    expect(calls.filter((c) => c.method === "PUT").map((c) => c.body)).toEqual([{ role: "admin" }, { role: "member" }]);

    fireEvent.click(screen.getByRole("button", { name: "Remove Grace Hopper from the project" }));
    fireEvent.click(within(screen.getByRole("group", { name: "Remove Grace Hopper from Lab?" })).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(screen.queryByLabelText("Project role of Grace Hopper")).toBeNull());
    expect(calls.some((c) => c.method === "DELETE" && c.path === `${projectApi}/members/${grace.id}`)).toBe(true);
  });

  it("shows the API's refusal where the person added someone", async () => {
    projectSettingsApi();
    renderSettings("/members");
    const person = await screen.findByLabelText("Person");
    await waitFor(() => expect(within(person).getAllByRole("option")).toHaveLength(3));
    fireEvent.change(person, { target: { value: alan.id } });
    fireEvent.click(screen.getByRole("button", { name: "Add to the project" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Only members of the organization can join its projects: invite them first.");
  });

  it("shows a plain member the list without controls", async () => {
    projectSettingsApi({ orgRole: "member", projectRole: "member", visibility: "org", members: [{ user: grace, role: "admin", addedAt: when }, { user: adaUser, role: "member", addedAt: when }] });
    renderSettings("/members");
    expect(await screen.findByText("Grace Hopper")).toBeTruthy();
    expect(screen.queryByLabelText("Person")).toBeNull();
    expect(screen.queryByLabelText("Project role of Grace Hopper")).toBeNull();
    expect(screen.getByRole("button", { name: "Leave the project" })).toBeTruthy();
    expect(screen.getByText("Ask a project admin to add someone.")).toBeTruthy();
  });
});

describe("project settings: custom roles", () => {
  it("creates a role from the modules' permissions, assigns it, takes it back and deletes it, through gateway events", async () => {
    projectSettingsApi({ members: [{ user: adaUser, role: "admin", addedAt: when }, { user: grace, role: "member", addedAt: when }] });
    const gateway = fakeGateway(ada.id);
    renderSettings("/roles", gateway);
    expect(await screen.findByText("No custom roles yet")).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Role name"), { target: { value: "Reviewer" } });
    fireEvent.click(screen.getByLabelText("Write in any chat"));
    fireEvent.click(screen.getByLabelText("Switch between tabs"));
    fireEvent.change(screen.getByLabelText("Other permissions"), { target: { value: "notes:[note:n1]:edit" } });
    fireEvent.click(screen.getByRole("button", { name: "Create role" }));

    const list = await screen.findByRole("list", { name: "Custom roles" });
    expect(within(list).getByText("Reviewer")).toBeTruthy();
    const [role] = [...rolesOf(gateway.doc).values()];
    expect(role).toMatchObject({ name: "Reviewer", permissions: ["chats:[chat:*]:send", "tabs:read", "notes:[note:n1]:edit"] });
    expect(within(screen.getByLabelText("Permissions of Reviewer")).getAllByText(/./).map((c) => c.textContent)).toEqual(["Write in any chat", "Switch between tabs", "notes:[note:n1]:edit"]);

    // A members-only project: its members and the org's admins and owners.
    const grant = await screen.findByRole("checkbox", { name: "Reviewer for Grace Hopper" });
    expect(screen.queryByRole("checkbox", { name: "Reviewer for Alan Turing" })).toBeNull();
    fireEvent.click(grant);
    await waitFor(() => expect(assignmentsOf(gateway.doc).get(grace.id)).toEqual([role!.id]));
    await waitFor(() => expect((screen.getByRole("checkbox", { name: "Reviewer for Grace Hopper" }) as HTMLInputElement).checked).toBe(true));
    expect(screen.getByText(/^1 person/)).toBeTruthy();

    fireEvent.click(screen.getByRole("checkbox", { name: "Reviewer for Grace Hopper" }));
    await waitFor(() => expect(assignmentsOf(gateway.doc).has(grace.id)).toBe(false));

    fireEvent.click(screen.getByRole("button", { name: "Delete Reviewer" }));
    fireEvent.click(within(screen.getByRole("group", { name: /Delete “Reviewer”/ })).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("No custom roles yet")).toBeTruthy();
    expect(gateway.events.map((e) => e.type)).toEqual(["roles:create-role", "roles:assign", "roles:assign", "roles:delete-role"]);
  });

  it("shows roles someone else creates, live, and stops a duplicate name or a malformed permission before sending", async () => {
    projectSettingsApi();
    const gateway = fakeGateway(ada.id);
    renderSettings("/roles", gateway);
    await screen.findByText("No custom roles yet");
    gateway.run({ type: "roles:create-role", name: "Viewer", permissions: [] });
    expect(await screen.findByText(/no permissions: can only look/)).toBeTruthy();
    // The form says so before sending; the gateway refuses a race the form could not see.
    fireEvent.change(screen.getByLabelText("Role name"), { target: { value: "Viewer" } });
    expect(screen.getByText("A role named “Viewer” exists.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Create role" }).hasAttribute("disabled")).toBe(true);
    fireEvent.change(screen.getByLabelText("Other permissions"), { target: { value: "not a permission" } });
    expect(screen.getByText(/“not” is not a permission/)).toBeTruthy();
  });

  it("explains a refused event in words (no permission to manage roles)", async () => {
    projectSettingsApi();
    const gateway = fakeGateway(ada.id, ["*:read"]);
    renderSettings("/roles", gateway);
    fireEvent.change(await screen.findByLabelText("Role name"), { target: { value: "Anything" } });
    fireEvent.click(screen.getByRole("button", { name: "Create role" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/roles:manage-roles/);
    expect(rolesOf(gateway.doc).size).toBe(0);
  });

  it("lists roles read-only for someone who does not manage the project", async () => {
    projectSettingsApi({ orgRole: "member", projectRole: "member", visibility: "org" });
    const gateway = fakeGateway(ada.id, ["*:read"]);
    gateway.run({ type: "roles:create-role", name: "Viewer", permissions: [] });
    renderSettings("/roles", gateway);
    expect(within(await screen.findByRole("list", { name: "Custom roles" })).getByText("Viewer")).toBeTruthy();
    expect(screen.queryByLabelText("Role name")).toBeNull();
    expect(screen.queryByRole("button", { name: "Delete Viewer" })).toBeNull();
    const box = await screen.findByRole("checkbox", { name: "Viewer for Alan Turing" });
    expect(box.hasAttribute("disabled")).toBe(true);
  });
});
