/** The audit log: every mutation, who made it, on what, from where. */
import type { Context } from "hono";
import type { Executor as Database } from "../../../drizzle/client";
import { auditLog } from "../../../drizzle/schema";
import { clientIp } from "../auth/sessions";
import type { AppEnv } from "../env";

export interface AuditEntry {
  orgId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  data?: Record<string, unknown>;
  /** The actor when the request has none yet (e.g. signing up). */
  actorUserId?: string;
}

/** Appends an entry; pass the transaction that made the change, so both land or neither. */
export async function audit(c: Context<AppEnv>, db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    orgId: entry.orgId ?? null,
    actorUserId: entry.actorUserId ?? c.var.auth?.user.id ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    data: entry.data ?? null,
    ip: clientIp(c),
    userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null,
  });
}
