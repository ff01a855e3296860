/**
 * Email behind one interface. EMAIL_PROVIDER picks the sender: "http" posts to an HTTP
 * email API (Resend's format) in production; "outbox" writes a table that the dev
 * mailbox shows (local development and tests only).
 */
import type { Context } from "hono";
import { emailOutbox } from "../../../drizzle/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";

export interface Email {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface EmailSender {
  send(email: Email): Promise<void>;
}

/** True where the dev mailbox may exist: never in production. */
export function devMailboxEnabled(env: Env): boolean {
  return env.KILN_ENV !== "production" && env.EMAIL_PROVIDER === "outbox";
}

function httpSender(env: Env): EmailSender {
  return {
    async send(email) {
      if (!env.EMAIL_API_KEY) throw new Error("EMAIL_PROVIDER=http needs the EMAIL_API_KEY secret");
      const res = await fetch(env.EMAIL_API_URL, {
        method: "POST",
        headers: { authorization: `Bearer ${env.EMAIL_API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ from: env.EMAIL_FROM, to: [email.to], subject: email.subject, text: email.text, html: email.html }),
      });
      if (!res.ok) throw new Error(`email API answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    },
  };
}

/** The sender configured for this deployment. */
export function emailSender(c: Context<AppEnv>): EmailSender {
  const provider = c.env.EMAIL_PROVIDER;
  if (provider === "outbox") {
    if (c.env.KILN_ENV === "production") throw new Error("EMAIL_PROVIDER=outbox is for local development, not production");
    return { send: async (email) => void (await c.var.db().insert(emailOutbox).values(email)) };
  }
  if (provider === "http") return httpSender(c.env);
  throw new Error(`EMAIL_PROVIDER="${provider}" is not a known email provider (use "http" or "outbox")`);
}

/** Sends, turning a provider failure into a 503 the person can act on (the cause is logged). */
export async function sendEmail(c: Context<AppEnv>, email: Email): Promise<void> {
  try {
    await emailSender(c).send(email);
  } catch (error) {
    console.error(JSON.stringify({ level: "error", requestId: c.var.requestId, msg: "email not sent", subject: email.subject, error: String(error) }));
    throw new ApiError(503, "email_unavailable", "We could not send the email right now. Try again in a few minutes.");
  }
}

/** Sends where a failure must not undo the request (e.g. the welcome email of a signup): logs it. */
export async function trySendEmail(c: Context<AppEnv>, email: Email): Promise<boolean> {
  try {
    await emailSender(c).send(email);
    return true;
  } catch (error) {
    console.error(JSON.stringify({ level: "error", requestId: c.var.requestId, msg: "email not sent", subject: email.subject, error: String(error) }));
    return false;
  }
}
