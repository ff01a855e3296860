import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HealthCard } from "../src/components/HealthCard";

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
    answer({ status: "degraded", database: { reachable: false, latencyMs: 1, error: "The database cannot be reached." }, time: "" }, 503);
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
