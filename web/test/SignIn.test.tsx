import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ada, error, me, renderAt, signedOut, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const health = { body: { status: "ok", database: { reachable: true, latencyMs: 1 }, time: "2026-01-01T00:00:00.000Z" } };
const base = { "GET /api/me": signedOut, "GET /api/health": health, "GET /api/auth/providers": { body: { providers: [] } } };

async function signInWith(email: string, password: string) {
  fireEvent.change(await screen.findByLabelText("Email"), { target: { value: email } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("sign-in page", () => {
  it("says the email or password is wrong, and lets the person try again", async () => {
    const calls = stubApi({ ...base, "POST /api/auth/login": error(401, "invalid_credentials", "Incorrect email or password.") });
    renderAt("/login");
    await signInWith("ada@example.com", "wrong horse");
    expect((await screen.findByRole("alert")).textContent).toContain("Incorrect email or password.");
    expect(calls.find((c) => c.path === "/api/auth/login")?.body).toEqual({ email: "ada@example.com", password: "wrong horse" });
    expect(screen.getByRole("button", { name: "Sign in" }).hasAttribute("disabled")).toBe(false);
  });

  it("says a locked account is locked, for how long, and how to unlock it now", async () => {
    stubApi({ ...base, "POST /api/auth/login": error(429, "account_locked", "Too many failed sign-ins: this account is locked for 14 minutes.", { retryAfter: 840 }) });
    renderAt("/login");
    await signInWith("ada@example.com", "whatever");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("this account is locked");
    expect(screen.getByTestId("retry-wait").textContent).toBe("You can try again in 14 min 00 s.");
    expect(screen.getByRole("link", { name: "Reset your password" }).getAttribute("href")).toBe("/forgot-password");
    expect(screen.getByRole("button", { name: "Sign in" }).hasAttribute("disabled")).toBe(true);
  });

  it("counts down a rate limit from Retry-After and then lets the person try again", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    stubApi({ ...base, "POST /api/auth/login": error(429, "rate_limited", "Too many attempts. Try again in 3 seconds.", { retryAfter: 3 }) });
    renderAt("/login");
    await signInWith("ada@example.com", "whatever");
    expect((await screen.findByTestId("retry-wait")).textContent).toBe("You can try again in 3 s.");
    expect(screen.getByRole("alert").textContent).toContain("Too many attempts");
    expect(screen.getByRole("button", { name: "Sign in" }).hasAttribute("disabled")).toBe(true);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3500);
    });
    expect(screen.getByTestId("retry-wait").textContent).toBe("You can try again now.");
    expect(screen.getByRole("button", { name: "Sign in" }).hasAttribute("disabled")).toBe(false);
  });

  it("sends a signed-out visitor to /login and back to the page they asked for", async () => {
    let signedIn = false;
    const org = { id: "11111111-1111-4111-8111-111111111111", name: "Acme", slug: "acme", role: "owner", createdAt: "2026-01-01T00:00:00.000Z" };
    stubApi({
      ...base,
      "GET /api/me": () => (signedIn ? me([{ id: org.id, name: "Acme", role: "owner" }]) : signedOut),
      "POST /api/auth/login": () => {
        signedIn = true;
        return { body: { status: "signed_in", user: ada } };
      },
      [`GET /api/orgs/${org.id}`]: { body: org },
      [`GET /api/orgs/${org.id}/projects`]: { body: { projects: [] } },
    });
    renderAt(`/orgs/${org.id}`);
    expect(await screen.findByRole("heading", { name: "Sign in to Kiln" })).toBeTruthy();
    await signInWith("ada@example.com", "correct horse");
    expect(await screen.findByRole("heading", { level: 1, name: "Acme" })).toBeTruthy();
    expect(await screen.findByText("No projects yet")).toBeTruthy();
  });

  it("shows why an OAuth sign-in failed, from the URL", async () => {
    stubApi({ ...base, "GET /api/auth/providers": { body: { providers: [{ id: "github", name: "GitHub", startUrl: "/api/auth/oauth/github/start" }] } } });
    renderAt("/login?error=oauth_denied&message=GitHub%20did%20not%20sign%20you%20in%20(access_denied).");
    expect((await screen.findByRole("alert")).textContent).toBe("GitHub did not sign you in (access_denied).");
    const github = await screen.findByRole("link", { name: "Continue with GitHub" });
    expect(github.getAttribute("href")).toBe("/api/auth/oauth/github/start?redirect=%2F");
  });

  it("emails a sign-in link and points to the dev mailbox when the API has one", async () => {
    const calls = stubApi({ ...base, "POST /api/auth/magic-link/request": { status: 202, body: { status: "accepted" } }, "GET /api/dev/mailbox/messages": { body: { messages: [] } } });
    renderAt("/login");
    fireEvent.change(await screen.findByLabelText("Email"), { target: { value: "ada@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Email me a sign-in link" }));
    expect((await screen.findByRole("status")).textContent).toContain("a sign-in link is on its way to ada@example.com");
    expect(calls.find((c) => c.path === "/api/auth/magic-link/request")?.body).toEqual({ email: "ada@example.com" });
    await waitFor(() => expect(screen.getByRole("link", { name: "dev mailbox" }).getAttribute("href")).toBe("/api/dev/mailbox?to=ada%40example.com"));
  });
});
