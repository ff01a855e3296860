/** Which VPN bridge serves an org: pinned when it first launches a container, to a default bridge until more exist. */
import { asc, eq } from "drizzle-orm";
import type { Executor } from "../../../drizzle/client";
import { organizationsVpnBridges, vpnBridges } from "../../../drizzle/schema";

export const DEFAULT_VPN_SUBNET = "172.16.0.0/16";

/**
 * The org's VPN bridge, allocating one if it has none: the oldest bridge, or a default one
 * named after `host` (the app's host: container apps live under it). Returns whether it
 * allocated, so the caller can audit `bridge.allocate`. Run it in a transaction. The
 * container launch calls it: opening a project needs no bridge.
 */
export async function ensureBridgeAllocation(tx: Executor, orgId: string, host: string): Promise<{ bridgeId: string; allocated: boolean }> {
  const [existing] = await tx.select({ bridgeId: organizationsVpnBridges.bridgeId }).from(organizationsVpnBridges).where(eq(organizationsVpnBridges.orgId, orgId));
  if (existing) return { bridgeId: existing.bridgeId, allocated: false };
  const oldest = () => tx.select({ id: vpnBridges.id }).from(vpnBridges).orderBy(asc(vpnBridges.createdAt), asc(vpnBridges.id)).limit(1);
  let [bridge] = await oldest();
  if (!bridge) {
    await tx.insert(vpnBridges).values({ host, vpnSubnet: DEFAULT_VPN_SUBNET }).onConflictDoNothing({ target: vpnBridges.host });
    [bridge] = await oldest();
  }
  const [pinned] = await tx.insert(organizationsVpnBridges).values({ orgId, bridgeId: bridge!.id }).onConflictDoNothing().returning();
  if (pinned) return { bridgeId: pinned.bridgeId, allocated: true };
  // A concurrent launch pinned it first.
  const [row] = await tx.select({ bridgeId: organizationsVpnBridges.bridgeId }).from(organizationsVpnBridges).where(eq(organizationsVpnBridges.orgId, orgId));
  return { bridgeId: row!.bridgeId, allocated: false };
}
