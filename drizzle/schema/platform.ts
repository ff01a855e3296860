/** Platform plumbing: rate-limit counters and the local email outbox. */
import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Fixed-window counters, one row per limited key (e.g. `login:ip:1.2.3.4`). */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});

/** Emails "sent" when EMAIL_PROVIDER=outbox: what the dev mailbox page shows. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("email_outbox_to_idx").on(t.to, t.createdAt)],
);
