/** The page a person was going to survives sign-in by password, emailed link, reset and OAuth. */
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { safeRedirect } from "../src/session/redirect";
import { ada, me, renderAt, signedOut, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const org = { id: "11111111-1111-4111-8111-111111111111", name: "Acme", slug: "acme", role: "owner" as const, createdAt: "2026-01-01T00:00:00.000Z" };
const target = `/orgs/${org.id}/members`;
const token = "t".repeat(43);

/** The API for a visitor who becomes signed in once `signIn` is called. */
function api(extra: Record<string, Parameters<typeof stubApi>[0][string]> = {}) {
  let signedIn = false;
  const calls = stubApi({
    "GET /api/me": () => (signedIn ? me([{ id: org.id, name: org.name, role: "owner" }]) : signedOut),
    "GET /api/health": { body: { status: "ok", database: { reachable: true, latencyMs: 1 }, time: "2026-01-01T00:00:00.000Z" } },
    "GET /api/auth/providers": { body: { providers: [{ id: "github", name: "GitHub", startUrl: "/api/auth/oauth/github/start" }] } },
    [`GET /api/orgs/${org.id}`]: { body: org },
    [`GET /api/orgs/${org.id}/members`]: { body: { members: [{ user: ada, role: "owner", joinedAt: org.createdAt }] } },
    [`GET /api/orgs/${org.id}/invitations`]: { body: { invitations: [] } },
    "GET /api/orgs": { body: { orgs: [org] } },
    ...extra,
  });
  return { calls, signIn: () => (signedIn = true) };
}

const signedInReply = { body: { status: "signed_in", user: ada } };

describe("returning to the page a person was going to", () => {
  it("passes the page on to the emailed sign-in link, the reset page, sign-up and OAuth", async () => {
    const { calls } = api({ "POST /api/auth/magic-link/request": { status: 202, body: { status: "accepted" } }, "GET /api/dev/mailbox/messages": { status: 404, body: {} } });
    renderAt(target);
    expect(await screen.findByRole("heading", { name: "Sign in to Kiln" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "ada@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Email me a sign-in link" }));
    await screen.findByRole("status");
    expect(calls.find((c) => c.path === "/api/auth/magic-link/request")?.body).toEqual({ email: "ada@example.com", redirect: target });
    const encoded = encodeURIComponent(target);
    expect(screen.getByRole("link", { name: "Forgot your password?" }).getAttribute("href")).toBe(`/forgot-password?redirect=${encoded}`);
    expect(screen.getByRole("link", { name: "Create an account" }).getAttribute("href")).toBe(`/signup?redirect=${encoded}`);
    expect(screen.getByRole("link", { name: "Continue with GitHub" }).getAttribute("href")).toBe(`/api/auth/oauth/github/start?redirect=${encoded}`);
  });

  it("asks for a reset link that comes back to the page", async () => {
    const { calls } = api({ "POST /api/auth/password-reset/request": { status: 202, body: { status: "accepted" } }, "GET /api/dev/mailbox/messages": { status: 404, body: {} } });
    renderAt(`/forgot-password?redirect=${encodeURIComponent(target)}`);
    fireEvent.change(await screen.findByLabelText("Email"), { target: { value: "ada@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Email me a reset link" }));
    await screen.findByRole("status");
    expect(calls.find((c) => c.path === "/api/auth/password-reset/request")?.body).toEqual({ email: "ada@example.com", redirect: target });
  });

  it("lands on the page after the emailed sign-in link", async () => {
    const { signIn } = api({
      "POST /api/auth/magic-link/verify": () => {
        signIn();
        return signedInReply;
      },
    });
    renderAt(`/magic-link?token=${token}&redirect=${encodeURIComponent(target)}`);
    expect(await screen.findByRole("heading", { name: "Members" })).toBeTruthy();
    expect(screen.getByRole("heading", { level: 1, name: "Acme" })).toBeTruthy();
  });

  it("lands on the page after choosing a new password", async () => {
    const { signIn, calls } = api({
      "POST /api/auth/password-reset": () => {
        signIn();
        return signedInReply;
      },
    });
    renderAt(`/reset-password?token=${token}&redirect=${encodeURIComponent(target)}`);
    fireEvent.change(await screen.findByLabelText("New password"), { target: { value: "a new long password" } });
    fireEvent.click(screen.getByRole("button", { name: "Save password and sign in" }));
    expect(await screen.findByRole("heading", { name: "Members" })).toBeTruthy();
    expect(calls.find((c) => c.path === "/api/auth/password-reset")?.body).toEqual({ token, password: "a new long password" });
  });

  it("goes home instead of following a link to another site", async () => {
    const { signIn } = api({
      "POST /api/auth/magic-link/verify": () => {
        signIn();
        return signedInReply;
      },
    });
    // Another token: each link is sent to the API once per page load (pages/auth/one-shot.ts).
    renderAt(`/magic-link?token=${"u".repeat(43)}&redirect=${encodeURIComponent("//evil.example/phish")}`);
    expect(await screen.findByRole("heading", { name: "Your organizations" })).toBeTruthy();
  });
});

describe("safeRedirect", () => {
  it("keeps paths of this app and turns anything else into the home page", () => {
    for (const path of ["/", "/account", "/orgs/x/projects/y?tab=2#top", "/a//b"]) expect(safeRedirect(path)).toBe(path);
    // Browsers drop tabs and newlines from URLs, so "/\t/evil.example" would go to //evil.example.
    for (const bad of [null, "", "account", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\\evil.example", "/\u0000/x", "https://evil.example/"]) {
      expect(safeRedirect(bad), String(bad)).toBe("/");
    }
  });
});
