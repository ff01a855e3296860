import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { describeEntry } from "../src/pages/org/audit-words";
import { error, me, renderTracked, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const orgId = "22222222-2222-4222-8222-222222222222";
const acme = (slug: string) => ({ id: orgId, name: "Acme", slug, role: "admin" as const, createdAt: "2026-01-01T00:00:00.000Z" });

/** The API of an org whose slug is `acme`, reachable by it and by `old-acme`, a slug it had. */
function addressApi(put: Parameters<typeof stubApi>[0][string]) {
  return stubApi({
    "GET /api/me": me([{ id: orgId, name: "Acme", role: "admin" }]),
    "GET /api/orgs/acme": { body: acme("acme") },
    "GET /api/orgs/old-acme": { body: acme("acme") },
    [`GET /api/orgs/${orgId}/members`]: { body: { members: [] } },
    [`GET /api/orgs/${orgId}/container-settings`]: { body: { idleMinutes: null } },
    [`PUT /api/orgs/${orgId}/slug`]: put,
  });
}

const preview = () => screen.getByTestId("org-address-preview").textContent;

describe("org settings: the address", () => {
  it("shows the new address as it is typed, saves it, says so and moves the page there without loading the org again", async () => {
    const calls = addressApi((body) => ({ body: acme((body as { slug: string }).slug) }));
    const at = renderTracked("/orgs/acme/settings");
    const input = await screen.findByLabelText("Organization address");
    expect((input as HTMLInputElement).value).toBe("acme");
    expect(preview()).toMatch(/^Its page is at .*\/orgs\/acme$/);
    const save = screen.getByRole("button", { name: "Save address" });
    expect(save.hasAttribute("disabled")).toBe(true);
    fireEvent.change(input, { target: { value: "acme-lab" } });
    expect(preview()).toMatch(/^Its page will be at .*\/orgs\/acme-lab$/);
    fireEvent.change(input, { target: { value: " acme-labs " } });
    expect(preview()).toMatch(/\/orgs\/acme-labs$/);
    fireEvent.click(save);
    expect((await screen.findByRole("status")).textContent).toBe("Saved. The address is now /orgs/acme-labs; links to /orgs/acme still lead here.");
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ slug: "acme-labs" });
    await waitFor(() => expect(at.path).toBe("/orgs/acme-labs/settings"));
    expect(screen.getByTitle(/This organization's address/).textContent).toBe("@acme-labs");
    expect(screen.getByRole("link", { name: "Members" }).getAttribute("href")).toBe("/orgs/acme-labs/members");
    expect(preview()).toMatch(/^Its page is at .*\/orgs\/acme-labs$/);
    expect(save.hasAttribute("disabled")).toBe(true);
    // Moved in place: the org was read once, and the confirmation is still there.
    expect(calls.filter((c) => c.method === "GET" && /^\/api\/orgs\/[^/]+$/.test(c.path)).map((c) => c.path)).toEqual(["/api/orgs/acme"]);
    expect(screen.getByRole("status").textContent).toContain("/orgs/acme-labs");
  });

  it("shows why an address is refused under the field, as typed or as answered, and stays where it is", async () => {
    const taken = "The address /orgs/beta is taken: another organization has it, or had it and old links to it still lead there. Choose another.";
    const invalid = "Use lowercase letters, digits and single hyphens between them: no capitals, spaces or other signs, and no hyphen first or last.";
    addressApi((body) =>
      (body as { slug: string }).slug === "beta" ? error(409, "slug_taken", taken, { fields: { slug: [taken] } }) : error(400, "invalid_slug", invalid, { fields: { slug: [invalid] } }),
    );
    const at = renderTracked("/orgs/acme/settings");
    const input = await screen.findByLabelText("Organization address");
    fireEvent.change(input, { target: { value: "beta" } });
    fireEvent.click(screen.getByRole("button", { name: "Save address" }));
    await screen.findByText(taken);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toBe(screen.getByText(taken).id);
    // What the rules refuse is said as it is typed, and not sent.
    const sent = vi.mocked(fetch).mock.calls.length;
    fireEvent.change(input, { target: { value: "Acme Labs" } });
    expect(screen.getByText(invalid)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save address" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(input.closest("form")!);
    expect(vi.mocked(fetch).mock.calls.length).toBe(sent);
    fireEvent.change(input, { target: { value: "3fa85f64-5717-4562-b3fc-2c963f66afa6" } });
    expect(screen.getByText(/cannot be shaped like an id/)).toBeTruthy();
    expect(screen.queryByRole("status")).toBeNull();
    expect(at.path).toBe("/orgs/acme/settings");
    expect(screen.getByTitle(/This organization's address/).textContent).toBe("@acme");
  });

  it("rewrites an old link naming the org by a slug it had to its slug, without loading it again", async () => {
    const calls = addressApi(error(500, "internal", "not called"));
    const at = renderTracked("/orgs/old-acme/members");
    await screen.findByRole("heading", { level: 1, name: "Acme" });
    await waitFor(() => expect(at.path).toBe("/orgs/acme/members"));
    expect(calls.filter((c) => /^\/api\/orgs\/[^/]+$/.test(c.path)).map((c) => c.path)).toEqual(["/api/orgs/old-acme"]);
  });
});

describe("the audit log", () => {
  it("says which address the org left and which it took", () => {
    const entry = { id: 1, actorUserId: null, action: "org.slug", targetType: "org", targetId: orgId, data: { from: "acme", to: "acme-labs" }, ip: null, userAgent: null, createdAt: "2026-01-01T00:00:00.000Z" };
    expect(describeEntry(entry, { people: {}, projects: {} })).toBe("changed the organization’s address from /orgs/acme to /orgs/acme-labs");
  });
});
