import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PasswordSection } from "../src/pages/account/PasswordSection";
import { error, renderAt, signedOut, stubApi } from "./api-stub";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const health = { body: { status: "ok", database: { reachable: true, latencyMs: 1 }, time: "2026-01-01T00:00:00.000Z" } };
const reason = "This password is too easy to guess. This is a heavily used password. Add more words that are less common.";

/** The API's answer to a guessable password: the reason as the message and under the field it names. */
const weak = (field: string) => error(400, "weak_password", reason, { fields: { [field]: [reason] } });

/** Checks the reason stands under the input, as its description, in place of the hint. */
function expectReasonUnder(label: string) {
  const input = screen.getByLabelText(label);
  expect(input.getAttribute("aria-invalid")).toBe("true");
  expect(document.getElementById(input.getAttribute("aria-describedby") ?? "")?.textContent).toBe(reason);
  expect(screen.queryByText(/a few unrelated words make a strong one/)).toBeNull();
}

describe("a password too easy to guess", () => {
  it("shows zxcvbn's reason under the sign-up form's password", async () => {
    stubApi({ "GET /api/health": health, "GET /api/me": signedOut, "POST /api/auth/signup": weak("password") });
    renderAt("/signup");
    expect(await screen.findByText(/a few unrelated words make a strong one/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "ada@example.com" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "password" } });
    fireEvent.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByText(reason)).toBeTruthy();
    expectReasonUnder("Password");
  });

  it("shows it under the reset form's new password", async () => {
    stubApi({ "GET /api/health": health, "GET /api/me": signedOut, "POST /api/auth/password-reset": weak("password") });
    renderAt("/reset-password?token=abc");
    fireEvent.change(await screen.findByLabelText("New password"), { target: { value: "12345678" } });
    fireEvent.click(screen.getByRole("button", { name: "Save password and sign in" }));
    expect(await screen.findByText(reason)).toBeTruthy();
    expectReasonUnder("New password");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows it under the account page's new password", async () => {
    stubApi({ "POST /api/account/password": weak("newPassword") });
    render(
      <MemoryRouter>
        <PasswordSection />
      </MemoryRouter>,
    );
    fireEvent.change(screen.getByLabelText("Current password"), { target: { value: "the old one is fine" } });
    fireEvent.change(screen.getByLabelText("New password"), { target: { value: "12345678" } });
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText(reason)).toBeTruthy();
    expectReasonUnder("New password");
    expect(screen.getByLabelText("Current password").getAttribute("aria-invalid")).toBeNull();
  });
});
