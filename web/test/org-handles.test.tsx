import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { me, renderAt, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const first = { id: "e4665e98-28ce-4e0c-9171-91165d4259fd", name: "Acme", role: "owner" as const, createdAt: "2026-01-01T00:00:00.000Z" };
const second = { id: "7b20c4d1-0a9e-4f51-8d47-3e1f0b2c9a11", name: "Acme", role: "member" as const, createdAt: "2026-02-01T00:00:00.000Z" };

describe("organizations with the same name", () => {
  it("are told apart by their handles, in the list and on the org's page", async () => {
    stubApi({
      "GET /api/me": me([first, second]),
      "GET /api/orgs": { body: { orgs: [first, second] } },
      [`GET /api/orgs/${second.id}`]: { body: second },
      [`GET /api/orgs/${second.id}/projects`]: { body: { projects: [] } },
    });
    renderAt("/");
    const tiles = await screen.findAllByRole("link", { name: /^Acme #/ });
    expect(tiles.map((t) => within(t).getByTitle(/^Handle of Acme/).textContent)).toEqual(["#e4665e", "#7b20c4"]);
    cleanup();
    renderAt(`/orgs/${second.id}`);
    await screen.findByRole("heading", { level: 1, name: "Acme" });
    expect(screen.getByTitle(/This organization's handle/).textContent).toBe("#7b20c4");
  });
});
