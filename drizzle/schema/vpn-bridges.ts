/** Gateways (VPN bridges) and OAuth clients of the gateways' OpenID Connect provider. */
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { organizations } from "./organizations";

/** A VPN bridge host; one serves many organizations. */
export const gateways = pgTable(
  "gateways",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Public host name of the bridge (container apps live under it). */
    host: text("host").notNull(),
    /** Private network the bridge hands addresses from, e.g. 172.16.0.0/16. */
    vpnSubnet: text("vpn_subnet").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("gateways_host_key").on(t.host)],
);

/** Which bridge an organization is pinned to. */
export const organizationsGateways = pgTable("organizations_gateways", {
  orgId: uuid("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  gatewayId: uuid("gateway_id")
    .notNull()
    .references(() => gateways.id, { onDelete: "restrict" }),
  allocatedAt: timestamp("allocated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A container app registered as a client of the org's OpenID Connect provider. */
export const oauthClients = pgTable(
  "oauth_clients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    redirectUris: jsonb("redirect_uris").$type<string[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("oauth_clients_org_idx").on(t.orgId)],
);

/** Codes and tokens issued to OAuth clients, stored hashed. */
export const oauthTokens = pgTable(
  "oauth_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["authorization_code", "access", "refresh"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    scope: text("scope").notNull().default(""),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("oauth_tokens_token_hash_key").on(t.tokenHash)],
);
