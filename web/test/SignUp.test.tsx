import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ada, error, me, renderAt, signedOut, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const health = { body: { status: "ok", database: { reachable: true, latencyMs: 1 }, time: "2026-01-01T00:00:00.000Z" } };

async function fill(fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) fireEvent.change(await screen.findByLabelText(label), { target: { value } });
  fireEvent.click(screen.getByRole("button", { name: "Create account" }));
}

describe("sign-up page", () => {
  it("shows the API's message under each input it names", async () => {
    stubApi({
      "GET /api/health": health,
      "GET /api/me": signedOut,
      "POST /api/auth/signup": error(400, "invalid_request", "Invalid json: check email, password.", {
        fields: { email: ["Enter a valid email address."], password: ["Use at least 8 characters."] },
      }),
    });
    renderAt("/signup");
    await fill({ "Your name": "Ada", Email: "ada@", Password: "short" });
    expect(await screen.findByText("Enter a valid email address.")).toBeTruthy();
    expect(screen.getByText("Use at least 8 characters.")).toBeTruthy();
    const email = screen.getByLabelText("Email");
    expect(email.getAttribute("aria-invalid")).toBe("true");
    // The message is the input's description, so a screen reader reads it with the input.
    expect(document.getElementById(email.getAttribute("aria-describedby") ?? "")?.textContent).toBe("Enter a valid email address.");
    expect(screen.getByLabelText("Password").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("Your name").getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("offers sign-in and a reset when the email is taken", async () => {
    stubApi({
      "GET /api/health": health,
      "GET /api/me": signedOut,
      "POST /api/auth/signup": error(409, "email_taken", "An account with this email already exists. Sign in, or reset your password."),
    });
    renderAt("/signup");
    await fill({ Email: "ada@example.com", Password: "long enough password" });
    expect((await screen.findByRole("alert")).textContent).toContain("already exists");
    expect(screen.getByRole("link", { name: "reset your password" }).getAttribute("href")).toBe("/forgot-password");
  });

  it("signs the new person in and lands on their organizations", async () => {
    let created = false;
    const calls = stubApi({
      "GET /api/health": health,
      "GET /api/me": () => (created ? me() : signedOut),
      "POST /api/auth/signup": () => {
        created = true;
        return { status: 201, body: { status: "signed_in", user: { ...ada, emailVerified: false } } };
      },
      "GET /api/orgs": { body: { orgs: [] } },
    });
    renderAt("/signup");
    await fill({ "Your name": "Ada Lovelace", Email: "ada@example.com", Password: "long enough password" });
    expect(await screen.findByText("No organizations yet")).toBeTruthy();
    expect(calls.find((c) => c.path === "/api/auth/signup")?.body).toEqual({ email: "ada@example.com", password: "long enough password", name: "Ada Lovelace" });
  });
});
