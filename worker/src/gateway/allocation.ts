/** Which gateway (VPN bridge) serves an org: pinned on first connect, to a default gateway until more exist. */
import { asc, eq } from "drizzle-orm";
import type { Executor } from "../../../drizzle/client";
import { gateways, organizationsGateways } from "../../../drizzle/schema";

export const DEFAULT_VPN_SUBNET = "172.16.0.0/16";

/**
 * The org's gateway, allocating one if it has none: the oldest gateway, or a default one
 * named after `host` (the app's host: container apps live under it). Returns whether it
 * allocated, so the caller can audit. Run it in a transaction.
 */
export async function ensureGatewayAllocation(tx: Executor, orgId: string, host: string): Promise<{ gatewayId: string; allocated: boolean }> {
  const [existing] = await tx.select({ gatewayId: organizationsGateways.gatewayId }).from(organizationsGateways).where(eq(organizationsGateways.orgId, orgId));
  if (existing) return { gatewayId: existing.gatewayId, allocated: false };
  const oldest = () => tx.select({ id: gateways.id }).from(gateways).orderBy(asc(gateways.createdAt), asc(gateways.id)).limit(1);
  let [gateway] = await oldest();
  if (!gateway) {
    await tx.insert(gateways).values({ host, vpnSubnet: DEFAULT_VPN_SUBNET }).onConflictDoNothing({ target: gateways.host });
    [gateway] = await oldest();
  }
  const [pinned] = await tx.insert(organizationsGateways).values({ orgId, gatewayId: gateway!.id }).onConflictDoNothing().returning();
  if (pinned) return { gatewayId: pinned.gatewayId, allocated: true };
  // A concurrent connect pinned it first.
  const [row] = await tx.select({ gatewayId: organizationsGateways.gatewayId }).from(organizationsGateways).where(eq(organizationsGateways.orgId, orgId));
  return { gatewayId: row!.gatewayId, allocated: false };
}
