import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ada, error, me, renderAt, signedOut, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const health = { body: { status: "ok", database: { reachable: true, latencyMs: 1 }, time: "2026-01-01T00:00:00.000Z" } };
const pending = error(401, "mfa_required", "Enter your two-factor code to finish signing in.");

describe("the TOTP step of signing in", () => {
  it("follows a password that answers mfa_required, refuses a wrong code, accepts a right one", async () => {
    let state: "out" | "pending" | "in" = "out";
    const calls = stubApi({
      "GET /api/health": health,
      "GET /api/auth/providers": { body: { providers: [] } },
      "GET /api/me": () => (state === "in" ? me() : state === "pending" ? pending : signedOut),
      "POST /api/auth/login": () => {
        state = "pending";
        return { body: { status: "mfa_required" } };
      },
      "POST /api/auth/totp": (body) => {
        if ((body as { code?: string }).code !== "123456") return error(401, "invalid_code", "That code is not valid. Use a new code from your app, or a recovery code.");
        state = "in";
        return { body: { status: "signed_in", user: ada } };
      },
      "GET /api/orgs": { body: { orgs: [] } },
    });
    renderAt("/login");
    fireEvent.change(await screen.findByLabelText("Email"), { target: { value: "ada@example.com" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "correct horse" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));

    const code = await screen.findByLabelText("Authentication code");
    expect(screen.getByRole("heading", { name: "Two-factor authentication" })).toBeTruthy();
    fireEvent.change(code, { target: { value: "000000" } });
    fireEvent.click(screen.getByRole("button", { name: "Verify and sign in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("That code is not valid.");

    fireEvent.change(code, { target: { value: "123 456" } });
    fireEvent.click(screen.getByRole("button", { name: "Verify and sign in" }));
    expect(await screen.findByRole("heading", { name: "Your organizations" })).toBeTruthy();
    expect(calls.filter((c) => c.path === "/api/auth/totp").map((c) => c.body)).toEqual([{ code: "000000" }, { code: "123456" }]);
  });

  it("opens at ?step=totp (after OAuth) and takes a recovery code instead", async () => {
    let state: "pending" | "in" = "pending";
    const calls = stubApi({
      "GET /api/health": health,
      "GET /api/me": () => (state === "in" ? me() : pending),
      "POST /api/auth/totp": () => {
        state = "in";
        return { body: { status: "signed_in", user: ada } };
      },
      "GET /api/orgs": { body: { orgs: [] } },
      "GET /api/account/sessions": { body: { sessions: [] } },
      "GET /api/account/api-keys": { body: { apiKeys: [] } },
    });
    renderAt("/login?step=totp&redirect=%2Faccount");
    await screen.findByLabelText("Authentication code");
    fireEvent.click(screen.getByRole("button", { name: "Use a recovery code instead" }));
    fireEvent.change(await screen.findByLabelText("Recovery code"), { target: { value: " abcd-efgh-ijkl-mnop " } });
    fireEvent.click(screen.getByRole("button", { name: "Verify and sign in" }));
    expect(await screen.findByRole("heading", { name: "Your account" })).toBeTruthy();
    expect(calls.find((c) => c.path === "/api/auth/totp")?.body).toEqual({ recoveryCode: "abcd-efgh-ijkl-mnop" });
  });

  it("says so when the pending sign-in has expired", async () => {
    stubApi({ "GET /api/health": health, "GET /api/me": signedOut, "POST /api/auth/totp": error(401, "unauthenticated", "Sign in first.") });
    renderAt("/login?step=totp");
    fireEvent.change(await screen.findByLabelText("Authentication code"), { target: { value: "123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Verify and sign in" }));
    expect((await screen.findByRole("alert")).textContent).toContain("This sign-in has expired.");
  });
});
