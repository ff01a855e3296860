import { cleanup, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { me, renderAt, renderTracked, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const first = { id: "e4665e98-28ce-4e0c-9171-91165d4259fd", name: "Acme", slug: "acme", role: "owner" as const, createdAt: "2026-01-01T00:00:00.000Z" };
const second = { id: "7b20c4d1-0a9e-4f51-8d47-3e1f0b2c9a11", name: "Acme", slug: "acme-2", role: "member" as const, createdAt: "2026-02-01T00:00:00.000Z" };

describe("organizations with the same name", () => {
  it("are told apart by their slugs, in the list and on the org's page, and their addresses carry them", async () => {
    stubApi({
      "GET /api/me": me([first, second]),
      "GET /api/orgs": { body: { orgs: [first, second] } },
      [`GET /api/orgs/acme-2`]: { body: second },
      [`GET /api/orgs/acme-2/projects`]: { body: { projects: [] } },
      [`GET /api/orgs/${second.id}/projects`]: { body: { projects: [] } },
    });
    renderAt("/");
    const tiles = await screen.findAllByRole("link", { name: /^Acme @/ });
    expect(tiles.map((t) => [within(t).getByTitle(/address/).textContent, t.getAttribute("href")])).toEqual([
      ["@acme", "/orgs/acme"],
      ["@acme-2", "/orgs/acme-2"],
    ]);
    cleanup();
    renderAt("/orgs/acme-2");
    await screen.findByRole("heading", { level: 1, name: "Acme" });
    expect(screen.getByTitle(/This organization's address/).textContent).toBe("@acme-2");
    expect(screen.getByRole("link", { name: "Members" }).getAttribute("href")).toBe("/orgs/acme-2/members");
  });

  it("rewrites an older address naming the org by id to its slug, without loading it again", async () => {
    const calls = stubApi({
      "GET /api/me": me([first, second]),
      [`GET /api/orgs/${second.id}`]: { body: second },
      [`GET /api/orgs/${second.id}/members`]: { body: { members: [] } },
    });
    const at = renderTracked(`/orgs/${second.id}/members`);
    await screen.findByRole("heading", { level: 1, name: "Acme" });
    await waitFor(() => expect(at.path).toBe("/orgs/acme-2/members"));
    expect(calls.filter((c) => c.path.startsWith("/api/orgs/") && !c.path.includes("/members")).map((c) => c.path)).toEqual([`/api/orgs/${second.id}`]);
  });
});
