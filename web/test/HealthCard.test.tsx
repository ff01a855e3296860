import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HealthCard } from "../src/components/HealthCard";
import { renderAt, signedOut, stubApi } from "./api-stub";

function answer(body: unknown, status = 200) {
  vi.stubGlobal("fetch", vi.fn(async () => Response.json(body, { status })));
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("HealthCard", () => {
  it("shows a healthy database with its latency", async () => {
    answer({ status: "ok", database: { reachable: true, latencyMs: 4.2 }, time: new Date().toISOString() });
    render(<HealthCard />);
    expect(await screen.findByText("Healthy · 4.2 ms")).toBeTruthy();
    expect(screen.getByTestId("api-status").textContent).toBe("Up");
  });

  it("shows an unreachable database and the reason the API gave", async () => {
    answer({ status: "degraded", database: { reachable: false, latencyMs: 1, error: "The database cannot be reached." }, time: "2026-01-01T00:00:00.000Z" }, 503);
    render(<HealthCard />);
    expect(await screen.findByText("Unreachable")).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toBe("The database cannot be reached.");
  });

  it("says what to do when the API itself is down", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("fetch failed"))));
    render(<HealthCard />);
    expect((await screen.findByRole("alert")).textContent).toContain("Is `npm start` still running?");
    expect(screen.getByTestId("database-status").textContent).toBe("Unknown");
  });
});

describe("the sign-in page", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("shows the platform status in local development (Vite's dev server)", async () => {
    stubApi({ "GET /api/me": signedOut, "GET /api/auth/providers": { body: { providers: [] } }, "GET /api/health": { body: { status: "ok", database: { reachable: true, latencyMs: 3 }, time: "2026-01-01T00:00:00.000Z" } } });
    renderAt("/login");
    expect(await screen.findByRole("heading", { name: "Platform status" })).toBeTruthy();
  });

  it("has no platform status in a production build", async () => {
    vi.stubEnv("DEV", false);
    const calls = stubApi({ "GET /api/me": signedOut, "GET /api/auth/providers": { body: { providers: [] } } });
    renderAt("/login");
    await screen.findByRole("heading", { name: "Sign in to Kiln" });
    expect(screen.queryByRole("heading", { name: "Platform status" })).toBeNull();
    expect(calls.some((c) => c.path.startsWith("/api/health"))).toBe(false);
  });
});
