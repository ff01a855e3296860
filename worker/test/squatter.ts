/** A squatter: someone who registered an address they do not own, never confirmed it, and set up every credential they could. */
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { apiKeys, passwords, totp } from "../../drizzle/schema";
import { type ApiError, type SignedUp, awayFromStepEdge, call, expectJson, newClient, signUp, totpCode, withDatabase } from "./helpers";
import { insertApiKey } from "./org-helpers";

export interface Squatter extends SignedUp {
  /** A live API key of the account (inserted directly: an unconfirmed account may no longer create one). */
  apiKey: string;
  /** The TOTP secret they enrolled, with its recovery codes. */
  secret: string;
  recoveryCodes: string[];
}

/** Signs up an unconfirmed account with TOTP on and a working API key. */
export async function squatter(): Promise<Squatter> {
  const person = await signUp();
  await awayFromStepEdge();
  const { secret } = await expectJson<{ secret: string }>(call(person.client, "/api/account/totp/setup", { method: "POST" }), 200);
  const { recoveryCodes } = await expectJson<{ recoveryCodes: string[] }>(call(person.client, "/api/account/totp/enable", { body: { code: totpCode(secret, -1) } }), 200);
  const apiKey = await insertApiKey(person.user.id, ["account:read", "orgs:read"]);
  await expectJson(call({ ...newClient(), bearer: apiKey }, "/api/me"), 200);
  return { ...person, apiKey, secret, recoveryCodes };
}

/** Checks the squatter kept no way in: no password, API key or TOTP enrolment (recovery codes with it) left. */
export async function expectSquatterLockedOut(s: Squatter): Promise<void> {
  const stale = await expectJson<ApiError>(call({ ...newClient(), bearer: s.apiKey }, "/api/me"), 401);
  expect(stale.error.code).toBe("invalid_api_key");
  await expectJson(call(s.client, "/api/me"), 401);
  await expectJson(call(newClient(), "/api/auth/login", { body: { email: s.email, password: s.password } }), 401);
  await withDatabase(async (db) => {
    expect(await db.select().from(apiKeys).where(eq(apiKeys.userId, s.user.id))).toEqual([]);
    expect(await db.select().from(totp).where(eq(totp.userId, s.user.id))).toEqual([]);
    expect(await db.select().from(passwords).where(eq(passwords.userId, s.user.id))).toEqual([]);
  });
}
