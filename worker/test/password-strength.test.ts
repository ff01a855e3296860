/** Guessable passwords are refused where a password is chosen (sign-up, change, reset), with zxcvbn's reason. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../drizzle/schema";
import { type ApiError, call, expectJson, newClient, signUp, tokenFromEmail, uniqueEmail, withDatabase } from "./helpers";

const accountCount = async (email: string) => (await withDatabase((db) => db.select().from(users).where(eq(users.email, email)))).length;

describe("guessable passwords", () => {
  it.each(["password", "12345678", "qwertyuiop", "P@ssw0rd1"])("refuses %s at sign-up with a reason a person can act on, creating nothing", async (password) => {
    const email = uniqueEmail("weak");
    const error = await expectJson<ApiError>(call(newClient(), "/api/auth/signup", { body: { email, password, name: "Ada" } }), 400);
    expect(error.error.code).toBe("weak_password");
    expect(error.error.message).toMatch(/^This password is too easy to guess\. .+/);
    expect(error.error.fields).toEqual({ password: [error.error.message] });
    expect(await accountCount(email)).toBe(0);
  });

  it("says why: a heavily used password, or the person's own email or name", async () => {
    const common = await expectJson<ApiError>(call(newClient(), "/api/auth/signup", { body: { email: uniqueEmail("weak"), password: "password" } }), 400);
    expect(common.error.message).toContain("This is a heavily used password.");
    // Strong for a stranger (zxcvbn scores these 4 on their own), guessable from the account itself.
    const email = uniqueEmail("qwvrtle");
    const local = email.split("@")[0]!;
    const fromEmail = await expectJson<ApiError>(call(newClient(), "/api/auth/signup", { body: { email, password: local } }), 400);
    expect(fromEmail.error.message).toContain("There should not be any personal or page related data.");
    const named = uniqueEmail("named");
    const fromName = await expectJson<ApiError>(call(newClient(), "/api/auth/signup", { body: { email: named, password: "Qwvrtle Zmpgrax", name: "Qwvrtle Zmpgrax" } }), 400);
    expect(fromName.error.message).toContain("There should not be any personal or page related data.");
    await expectJson(call(newClient(), "/api/auth/signup", { body: { email: named, password: "Qwvrtle Zmpgrax", name: "Ada" } }), 201);
  });

  it("refuses a guessable new password on a password change, keeping the old one", async () => {
    const { client, email, password } = await signUp();
    const error = await expectJson<ApiError>(call(client, "/api/account/password", { body: { currentPassword: password, newPassword: "12345678" } }), 400);
    expect(error.error.code).toBe("weak_password");
    expect(error.error.fields?.newPassword).toEqual([expect.stringContaining("This is a heavily used password.")]);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password } }), 200);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password: "12345678" } }), 401);
  });

  it("refuses a guessable password on a reset and leaves the link usable", async () => {
    const { email, password } = await signUp();
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    const token = await tokenFromEmail(email, /Reset your Kiln password/);
    const error = await expectJson<ApiError>(call(newClient(), "/api/auth/password-reset", { body: { token, password: "password1" } }), 400);
    expect(error.error.code).toBe("weak_password");
    expect(error.error.fields?.password).toEqual([error.error.message]);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password } }), 200);
    await expectJson(call(newClient(), "/api/auth/password-reset", { body: { token, password: "marmalade tugboat quietly" } }), 200);
    await expectJson(call(newClient(), "/api/auth/login", { body: { email, password: "marmalade tugboat quietly" } }), 200);
  });
});
