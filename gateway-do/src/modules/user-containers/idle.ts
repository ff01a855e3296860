/**
 * Idle culling: an org setting, off by default, to stop running containers that nobody has
 * used for N minutes. Used means a visitor's request through the bridge (an app page, a
 * terminal or app socket opening), typing in a terminal, or a kernel holding the container
 * awake while a cell runs (`holdAwake`). An open browser tab with nothing going on is not use:
 * a forgotten tab must not keep a machine busy, and a tab closed mid-run must not stop a
 * kernel's work.
 */
import type { ModuleSql } from "../kit";

const MINUTE_MS = 60_000;

/** The org's idle setting: minutes (null: off), and since when it holds. */
export function idleSetting(sql: ModuleSql): { minutes: number | null; since: number } {
  const row = sql.exec<{ idle_minutes: number | null; since: number }>("select idle_minutes, since from user_containers_settings where id = 1").toArray()[0];
  return row ? { minutes: row.idle_minutes, since: row.since } : { minutes: null, since: 0 };
}

/**
 * Sets it. The idle clock of every container restarts at `now`: turning culling on must not
 * stop at once every container nobody opened in the last hours.
 */
export function setIdleSetting(sql: ModuleSql, minutes: number | null, now: number): void {
  sql.exec("insert into user_containers_settings (id, idle_minutes, since) values (1, ?, ?) on conflict (id) do update set idle_minutes = excluded.idle_minutes, since = excluded.since", minutes, now);
}

/** A visitor used the container now. */
export function touchActivity(sql: ModuleSql, container: string, now: number): void {
  sql.exec("update user_containers_live set active_at = max(coalesce(active_at, 0), ?) where id = ?", now, container);
}

/** Running containers with no hold, and since when each has been idle. */
function idleSince(sql: ModuleSql, settingSince: number) {
  return sql
    .exec<{ id: string; project: string; idle_from: number }>(
      `select l.id, l.project, max(coalesce(l.active_at, 0), ?) as idle_from from user_containers_live l
       where l.state = 'running' and not exists (select 1 from user_containers_awake a where a.container = l.id)`,
      settingSince,
    )
    .toArray();
}

/** When the next running container would have been idle long enough, or null (culling off, none running). */
export function nextIdleDeadline(sql: ModuleSql): number | null {
  const { minutes, since } = idleSetting(sql);
  if (minutes === null) return null;
  const rows = idleSince(sql, since);
  return rows.length === 0 ? null : Math.min(...rows.map((r) => r.idle_from)) + minutes * MINUTE_MS;
}

/** The running containers idle for the org's N minutes at `now`, and N; none when culling is off. */
export function idleContainers(sql: ModuleSql, now: number): { minutes: number; rows: { id: string; project: string }[] } {
  const { minutes, since } = idleSetting(sql);
  if (minutes === null) return { minutes: 0, rows: [] };
  return { minutes, rows: idleSince(sql, since).filter((r) => r.idle_from + minutes * MINUTE_MS <= now) };
}
