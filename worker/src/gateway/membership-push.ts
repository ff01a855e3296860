/**
 * Keeps each org's GatewayDO in step with Postgres: after any change to members, roles,
 * projects or visibility, the worker reads the org's full membership and pushes it.
 * The push is idempotent and versioned by the Postgres clock, so a late push of an older
 * read cannot undo a newer one.
 */
import { eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { getServerByName } from "partyserver";
import type { Database } from "../../../drizzle/client";
import { organizationsMembers, projects, projectsMembers } from "../../../drizzle/schema";
import type { MembershipSnapshot } from "../../../protocol/membership";
import type { AppEnv } from "../env";

/** Reads the org's membership in one consistent snapshot (empty for a deleted org). */
export async function readMembershipSnapshot(db: Database, orgId: string): Promise<MembershipSnapshot> {
  return db.transaction(
    async (tx) => {
      // First statement of a repeatable-read transaction: its clock is the snapshot's moment.
      const { rows } = await tx.execute<{ version: string }>(sql`select (extract(epoch from clock_timestamp()) * 1000000)::bigint::text as version`);
      const members = await tx.select({ userId: organizationsMembers.userId, role: organizationsMembers.role }).from(organizationsMembers).where(eq(organizationsMembers.orgId, orgId));
      const projectRows = await tx.select({ id: projects.id, visibility: projects.visibility }).from(projects).where(eq(projects.orgId, orgId));
      const projectMemberRows = await tx
        .select({ projectId: projectsMembers.projectId, userId: projectsMembers.userId, role: projectsMembers.role })
        .from(projectsMembers)
        .innerJoin(projects, eq(projects.id, projectsMembers.projectId))
        .where(eq(projects.orgId, orgId));
      return {
        org: orgId,
        version: Number(rows[0]!.version),
        members,
        projects: projectRows.map((p) => ({
          ...p,
          members: projectMemberRows.filter((m) => m.projectId === p.id).map(({ userId, role }) => ({ userId, role })),
        })),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Pushes the org's membership to its gateway. Call after the change has committed (the
 * request's database has one connection: never inside a transaction). A failed push is
 * logged, not thrown: the change stands, and the next push or connect repairs the gateway.
 */
export async function pushMembership(c: Context<AppEnv>, orgId: string): Promise<boolean> {
  try {
    const snapshot = await readMembershipSnapshot(c.var.db(), orgId);
    const gateway = await getServerByName(c.env.GATEWAY, orgId);
    const result = await gateway.syncMembership(snapshot);
    // A stale push lost to a newer one, which is fine; an invalid one is a bug worth hearing of.
    if (!result.applied && result.reason === "invalid") throw new Error(result.message);
    return true;
  } catch (error) {
    console.error(JSON.stringify({ level: "error", requestId: c.var.requestId, msg: "membership push failed", orgId, error: String(error) }));
    return false;
  }
}
