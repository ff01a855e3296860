/**
 * The module's alarm: what the gateway notices with nobody asking. A live container that fell
 * silent (no heartbeat for `HEARTBEAT_TIMEOUT_MS`) turns unreachable; a running one nobody used
 * for the org's idle minutes is stopped (`idle.ts`). Both through the pipeline, as the module.
 */
import type { HostContext } from "../kit";
import { idleContainers, nextIdleDeadline } from "./idle";
import { HEARTBEAT_TIMEOUT_MS, LIVE_STATES } from "./machine";
import { USER_CONTAINERS } from "./records";

const SYSTEM = { kind: "system", id: USER_CONTAINERS } as const;
const placeholders = LIVE_STATES.map(() => "?").join(", ");

/** When the first live container would fall silent, or the first running one be idle too long; null when neither can happen. */
export function nextAlarmAt(host: HostContext): number | null {
  const silent = host.sql.exec<{ at: number | null }>(`select min(last_seen) as at from user_containers_live where state in (${placeholders})`, ...LIVE_STATES).toArray()[0]?.at;
  const times = [silent === null || silent === undefined ? null : silent + HEARTBEAT_TIMEOUT_MS, nextIdleDeadline(host.sql)].filter((t) => t !== null);
  return times.length === 0 ? null : Math.min(...times);
}

/** Moves every container whose time has come. */
export function runAlarm(host: HostContext): void {
  const silent = host.sql
    .exec<{ id: string; project: string }>(`select id, project from user_containers_live where state in (${placeholders}) and last_seen <= ?`, ...LIVE_STATES, host.now - HEARTBEAT_TIMEOUT_MS)
    .toArray();
  for (const row of silent) {
    const outcome = host.runEvent(row.project, { type: "user-containers:timeout", container: row.id }, SYSTEM);
    // A row the doc no longer agrees with (its container is gone) must not keep the alarm firing.
    if (!outcome.ok) host.sql.exec("update user_containers_live set state = 'unreachable' where id = ?", row.id);
  }
  const idle = idleContainers(host.sql, host.now);
  for (const row of idle.rows) {
    const outcome = host.runEvent(row.project, { type: "user-containers:idle", container: row.id, minutes: idle.minutes }, SYSTEM);
    if (!outcome.ok) host.sql.exec("update user_containers_live set state = 'stopped' where id = ?", row.id);
  }
}
