import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DEFAULT_VPN_SUBNET, ensureBridgeAllocation } from "../src/gateway/allocation";
import { orgWithRoles, withDb } from "./org-helpers";

/** The bridges an org is pinned to, as Postgres holds them. */
async function pins(orgId: string) {
  return withDb(
    async (db) =>
      (await db.execute<{ bridge_id: string; vpn_subnet: string }>(sql`select ob.bridge_id, b.vpn_subnet from organizations_vpn_bridges ob join vpn_bridges b on b.id = ob.bridge_id where ob.org_id = ${orgId}`)).rows,
  );
}

describe("allocating a VPN bridge (what the container launch will call)", () => {
  it("pins the org to a bridge once and answers the same bridge after that", async () => {
    const { org } = await orgWithRoles();
    expect(await pins(org.id)).toEqual([]);

    const first = await withDb((db) => db.transaction((tx) => ensureBridgeAllocation(tx, org.id, "kiln.test")));
    expect(first).toEqual({ bridgeId: expect.any(String), allocated: true });
    const again = await withDb((db) => db.transaction((tx) => ensureBridgeAllocation(tx, org.id, "elsewhere.test")));
    expect(again).toEqual({ bridgeId: first.bridgeId, allocated: false });

    expect(await pins(org.id)).toEqual([{ bridge_id: first.bridgeId, vpn_subnet: DEFAULT_VPN_SUBNET }]);
  });

  it("pins every org to the one existing bridge rather than making another", async () => {
    const a = await orgWithRoles();
    const b = await orgWithRoles();
    const first = await withDb((db) => db.transaction((tx) => ensureBridgeAllocation(tx, a.org.id, "kiln.test")));
    const second = await withDb((db) => db.transaction((tx) => ensureBridgeAllocation(tx, b.org.id, `other-${crypto.randomUUID()}.test`)));
    expect(second).toEqual({ bridgeId: first.bridgeId, allocated: true });
    const hosts = await withDb(async (db) => (await db.execute<{ host: string }>(sql`select host from vpn_bridges where host like 'other-%'`)).rows);
    expect(hosts).toEqual([]);
  });
});
