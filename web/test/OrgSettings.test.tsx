import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { error, me, renderAt, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const orgId = "22222222-2222-4222-8222-222222222222";
const base = `/api/orgs/${orgId}`;
const acme = (role: "owner" | "admin" | "member", name = "Acme") => ({ id: orgId, name, slug: "acme", role, createdAt: "2026-01-01T00:00:00.000Z" });

function settingsApi(role: "owner" | "admin" | "member", extra: Parameters<typeof stubApi>[0] = {}) {
  let name = "Acme";
  return stubApi({
    "GET /api/me": () => me([{ id: orgId, name, role }]),
    [`GET ${base}`]: () => ({ body: acme(role, name) }),
    [`PATCH ${base}`]: (body) => {
      const wanted = (body as { name: string }).name;
      if (wanted.length > 100) return error(400, "invalid_request", "Invalid body: check name.", { fields: { name: ["Too long."] } });
      name = wanted;
      return { body: acme(role, name) };
    },
    "GET /api/orgs": { body: { orgs: [] } },
    [`GET ${base}/container-settings`]: { body: { idleMinutes: null } },
    ...extra,
  });
}

describe("org page: settings", () => {
  it("renames the organization, in the header too", async () => {
    const calls = settingsApi("admin");
    renderAt(`/orgs/${orgId}/settings`);
    const input = await screen.findByLabelText("Organization name");
    expect(screen.getByRole("button", { name: "Save name" }).hasAttribute("disabled")).toBe(true);
    fireEvent.change(input, { target: { value: "  Acme Research " } });
    fireEvent.click(screen.getByRole("button", { name: "Save name" }));
    expect((await screen.findByRole("status")).textContent).toBe("Renamed to Acme Research.");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Acme Research");
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ name: "Acme Research" });
    // An admin cannot delete it, and is told who can.
    expect(screen.queryByRole("button", { name: "Delete this organization" })).toBeNull();
    expect(screen.getByText("Only an owner may delete the organization.")).toBeTruthy();
  });

  it("shows the API's refusal of a rename", async () => {
    settingsApi("owner", { [`PATCH ${base}`]: error(403, "forbidden", "Only the organization's admins and owners may rename it.") });
    renderAt(`/orgs/${orgId}/settings`);
    fireEvent.change(await screen.findByLabelText("Organization name"), { target: { value: "Other" } });
    fireEvent.click(screen.getByRole("button", { name: "Save name" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Only the organization's admins and owners may rename it.");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Acme");
  });

  it("deletes only once the owner typed the organization's exact name, then goes home and says so", async () => {
    const calls = settingsApi("owner", { [`DELETE ${base}`]: { status: 204 } });
    renderAt(`/orgs/${orgId}/settings`);
    const confirm = await screen.findByLabelText("Type “Acme” to confirm");
    const button = screen.getByRole("button", { name: "Delete this organization" });
    expect(button.hasAttribute("disabled")).toBe(true);
    fireEvent.change(confirm, { target: { value: "acme" } });
    expect(button.hasAttribute("disabled")).toBe(true);
    fireEvent.change(confirm, { target: { value: "Acme" } });
    expect(button.hasAttribute("disabled")).toBe(false);
    fireEvent.click(button);
    expect((await screen.findByRole("status")).textContent).toBe("Acme was deleted.");
    expect(screen.getByRole("heading", { level: 1, name: "Your organizations" })).toBeTruthy();
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([base]);
  });

  it("keeps the owner on the page with the API's reason when the delete fails", async () => {
    settingsApi("owner", { [`DELETE ${base}`]: error(403, "owner_required", "Only an owner may delete the organization.") });
    renderAt(`/orgs/${orgId}/settings`);
    fireEvent.change(await screen.findByLabelText("Type “Acme” to confirm"), { target: { value: "Acme" } });
    fireEvent.click(screen.getByRole("button", { name: "Delete this organization" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Only an owner may delete the organization.");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Acme");
  });

  it("stops idle containers after the minutes an admin sets, saying what idle means", async () => {
    const calls = settingsApi("admin", { [`PUT ${base}/container-settings`]: (body) => ({ body }) });
    renderAt(`/orgs/${orgId}/settings`);
    const toggle = await screen.findByRole("checkbox", { name: "Stop idle containers" });
    await waitFor(() => expect(toggle.hasAttribute("disabled")).toBe(false));
    expect(screen.getByText(/A browser tab left open does not count as use/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Save" }).hasAttribute("disabled")).toBe(true);
    fireEvent.click(toggle);
    const minutes = screen.getByLabelText("Minutes without use");
    fireEvent.change(minutes, { target: { value: "2" } });
    expect(screen.getByText("From 5 minutes to 10080 (a week).")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Save" }).hasAttribute("disabled")).toBe(true);
    fireEvent.change(minutes, { target: { value: "45" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("status")).textContent).toBe("Containers idle for 45 minutes are stopped.");
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ idleMinutes: 45 });
  });

  it("has no settings tab for members", async () => {
    settingsApi("member", { [`GET ${base}/projects`]: { body: { projects: [] } } });
    renderAt(`/orgs/${orgId}`);
    await screen.findByText("No projects yet");
    expect(screen.getByRole("navigation", { name: "Organization" }).textContent).not.toContain("Settings");
    await waitFor(() => expect(screen.queryByRole("link", { name: "Settings" })).toBeNull());
  });
});
