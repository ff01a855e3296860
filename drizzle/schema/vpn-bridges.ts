/** VPN bridges and the organizations pinned to them. */
import { pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

/** A VPN bridge host; one serves many organizations. */
export const vpnBridges = pgTable(
  "vpn_bridges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Public host name of the bridge (container apps live under it). */
    host: text("host").notNull(),
    /** Private network the bridge hands addresses from, e.g. 172.16.0.0/16. */
    vpnSubnet: text("vpn_subnet").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("vpn_bridges_host_key").on(t.host)],
);

/** Which bridge an organization is pinned to (when it first launches a container). */
export const organizationsVpnBridges = pgTable("organizations_vpn_bridges", {
  orgId: uuid("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  bridgeId: uuid("bridge_id")
    .notNull()
    .references(() => vpnBridges.id, { onDelete: "restrict" }),
  allocatedAt: timestamp("allocated_at", { withTimezone: true }).notNull().defaultNow(),
});
