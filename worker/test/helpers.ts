/** Helpers for API tests in workerd: a client that keeps its cookie, sign-up, the dev mailbox. */
import { SELF, env } from "cloudflare:test";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP, generateTOTP } from "@oslojs/otp";
import { asc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { createDatabase } from "../../drizzle/client";
import { auditLog } from "../../drizzle/schema";

export const ORIGIN = "http://kiln.test";

export interface Client {
  /** `name=value` of the session cookie, kept from the last response that set it. */
  cookie?: string;
  /** Sent as cf-connecting-ip: rate limits count per address, so each test client has its own. */
  ip: string;
  /** An API key to send as `Authorization: Bearer`. */
  bearer?: string;
}

export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, string[]> };
}

/** A fresh client with its own address (documentation range, never contacted: it is only a header). */
export function newClient(): Client {
  // 64 random bits in the documentation prefix: test files run in parallel isolates, and an
  // address another file throttled (rate limits last minutes) must never be handed out again.
  const words = [...crypto.getRandomValues(new Uint16Array(4))].map((w) => w.toString(16));
  return { ip: `2001:db8::${words.join(":")}` };
}

/** Calls the API as a browser on ORIGIN would, keeping the session cookie in `client`. */
export async function call(
  client: Client,
  path: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; origin?: string | null } = {},
): Promise<Response> {
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const headers: Record<string, string> = { "cf-connecting-ip": client.ip, ...options.headers };
  if (client.cookie) headers.cookie = client.cookie;
  if (client.bearer) headers.authorization = `Bearer ${client.bearer}`;
  if (options.origin !== null && method !== "GET") headers.origin = options.origin ?? ORIGIN;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await SELF.fetch(`${ORIGIN}${path}`, { method, headers, body, redirect: "manual" });
  const setCookie = res.headers.get("set-cookie");
  const session = setCookie && /(__Host-kiln_session|kiln_session)=([^;]*)/.exec(setCookie);
  if (session) client.cookie = session[2] ? `${session[1]}=${session[2]}` : undefined;
  return res;
}

/** Calls and checks the status, returning the parsed body. */
export async function expectJson<T>(res: Response | Promise<Response>, status: number): Promise<T> {
  const response = await res;
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${crypto.randomUUID().slice(0, 8)}@kiln.test`;
}

export interface SignedUp {
  client: Client;
  email: string;
  password: string;
  user: { id: string; email: string; name: string; emailVerified: boolean };
}

/** Signs up a new user and returns their signed-in client; `confirmed` also follows the emailed confirmation link. */
export async function signUp(options: { email?: string; password?: string; name?: string; confirmed?: boolean } = {}): Promise<SignedUp> {
  const client = newClient();
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? `pw-${crypto.randomUUID()}`;
  const body = await expectJson<{ user: SignedUp["user"] }>(call(client, "/api/auth/signup", { body: { email, password, name: options.name } }), 201);
  const person = { client, email, password, user: body.user };
  if (options.confirmed) await confirmEmail(person);
  return person;
}

/** Confirms the person's email through the link sent at sign-up, as they would (API keys and invitations need it). */
export async function confirmEmail(person: SignedUp): Promise<void> {
  if (person.user.emailVerified) return;
  const token = await tokenFromEmail(person.email, /Confirm your email/);
  await expectJson(call(newClient(), "/api/auth/verify-email", { body: { token } }), 200);
  person.user = { ...person.user, emailVerified: true };
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

/** The dev mailbox's messages to `email`, newest first. */
export async function mailbox(email: string): Promise<MailMessage[]> {
  const res = await SELF.fetch(`${ORIGIN}/api/dev/mailbox/messages?to=${encodeURIComponent(email)}`);
  return ((await res.json()) as { messages: MailMessage[] }).messages;
}

/**
 * The emails to `email` whose subject matches, newest first, once there are at least `count`:
 * some are sent after the response (a password reset), so this polls for up to 10 s.
 */
export async function waitForMail(email: string, subject: RegExp, count = 1): Promise<MailMessage[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = (await mailbox(email)).filter((m) => subject.test(m.subject));
    if (messages.length >= count || Date.now() > deadline) return messages;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The `token` query parameter of the first link in the newest email to `email` whose subject matches (waiting for the `count`th one). */
export async function tokenFromEmail(email: string, subject: RegExp, count = 1): Promise<string> {
  const messages = await waitForMail(email, subject, count);
  expect(messages.length, `no email number ${count} to ${email} matching ${subject}`).toBeGreaterThanOrEqual(count);
  const link = /https?:\/\/\S+/.exec(messages[0]!.text)![0];
  return new URL(link).searchParams.get("token")!;
}

/** A database handle for tests that arrange or check rows directly; close it after use. */
export function openDatabase() {
  return createDatabase({ databaseUrl: env.DATABASE_URL, wsProxy: env.DB_WS_PROXY });
}

/** Runs `fn` on a fresh database handle and closes it. */
export async function withDatabase<T>(fn: (db: ReturnType<typeof openDatabase>["db"]) => Promise<T>): Promise<T> {
  const { db, close } = openDatabase();
  try {
    return await fn(db);
  } finally {
    await close();
  }
}

/** The audit actions recorded about `targetId`, oldest first. */
export async function auditActions(targetId: string): Promise<string[]> {
  const rows = await withDatabase((db) => db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(asc(auditLog.id)));
  return rows.map((r) => r.action);
}

/** The code of a given 30-second step (the current one by default), as an authenticator app shows it. */
export function totpCode(secret: string, stepOffset = 0): string {
  const key = decodeBase32IgnorePadding(secret);
  if (stepOffset === 0) return generateTOTP(key, 30, 6);
  return generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + stepOffset), 6);
}

/** Waits out the end of a 30-second step when it is near, so codes computed here match the server's step. */
export async function awayFromStepEdge(marginMs = 3000): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
