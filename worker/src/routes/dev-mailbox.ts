/**
 * `/api/dev/mailbox`: the emails of the local outbox, so a person running `npm start` can
 * click their links. Answers 404 in production and whenever EMAIL_PROVIDER is not "outbox".
 */
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { html, raw } from "hono/html";
import { emailOutbox } from "../../../drizzle/schema";
import { devMailboxEnabled } from "../email/sender";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";

const LIMIT = 50;

export const devMailbox = new Hono<AppEnv>();

devMailbox.use(async (c, next) => {
  if (!devMailboxEnabled(c.env)) throw new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}.`);
  return next();
});

async function latest(db: ReturnType<AppEnv["Variables"]["db"]>, to: string | undefined) {
  const query = db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(LIMIT);
  return to ? query.where(eq(emailOutbox.to, to.trim().toLowerCase())) : query;
}

/** JSON, for tests and scripts: `?to=` filters by recipient. */
devMailbox.get("/messages", async (c) => c.json({ messages: await latest(c.var.db(), c.req.query("to")) }));

/** The page: newest first, links clickable. */
devMailbox.get("/", async (c) => {
  const messages = await latest(c.var.db(), c.req.query("to"));
  const linkify = (text: string) =>
    raw(
      text
        .replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
        .replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>'),
    );
  return c.html(html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>Dev mailbox · Kiln</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 760px; margin: 2rem auto; padding: 0 1rem; }
          article { border: 1px solid #d6d3d1; border-radius: 10px; padding: 1rem 1.25rem; margin: 1rem 0; }
          header { display: flex; justify-content: space-between; gap: 1rem; color: #78716c; font-size: 0.85rem; }
          h2 { font-size: 1.05rem; margin: 0.4rem 0 0.8rem; }
          pre { white-space: pre-wrap; font: inherit; margin: 0; }
          a { color: #c2410c; }
        </style>
      </head>
      <body>
        <h1>Dev mailbox</h1>
        <p>Emails Kiln "sent" on this machine (latest ${LIMIT}). This page does not exist in production.</p>
        ${messages.length === 0 ? html`<p><em>No emails yet.</em></p>` : ""}
        ${messages.map(
          (m) => html`<article>
            <header><span>To: ${m.to}</span><time datetime="${m.createdAt.toISOString()}">${m.createdAt.toLocaleString("en-GB", { timeZone: "UTC" })} UTC</time></header>
            <h2>${m.subject}</h2>
            <pre>${linkify(m.text)}</pre>
          </article>`,
        )}
      </body>
    </html>`);
});
