/** The org's event log in the DO's SQLite: every event, who sent it, to which project, and how it ended. */
import type { PrincipalKind } from "../modules/kit";
import type { Sql } from "./doc-store";

export interface EventLogEntry {
  id: number;
  at: string;
  /** Who acted: a member, a container, a bridge, or the gateway itself (a module's alarm). */
  actorKind: PrincipalKind;
  /** The member's user id, or the other principal's id. */
  userId: string;
  project: string;
  type: string | null;
  requestId: string | null;
  ok: boolean;
  errorCode: string | null;
  errorMessage: string | null;
}

type Row = { id: number; at: number; actor_kind: string; user_id: string; project: string; type: string | null; request_id: string | null; ok: number; error_code: string | null; error_message: string | null };

/** Outcomes kept in memory at most (about 100 bytes each); older lookups query SQLite. */
const MAX_RECENT = 50_000;

type Outcome = Pick<EventLogEntry, "ok" | "errorCode" | "errorMessage" | "type">;

export class EventLog {
  /**
   * Recent outcomes by request id, oldest first, so that `find` (run before every event: it
   * was the gateway's costliest query) needs no query. Filled from SQLite by the first
   * lookup, then by `append`; entries older than a lookup's window are dropped.
   */
  readonly #recent = new Map<string, Outcome & { at: number }>();
  /** From this time on, `#recent` holds every outcome; null until the first lookup loads it. */
  #since: number | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly maxRecent = MAX_RECENT,
  ) {
    sql.exec(`create table if not exists event_log (
      id integer primary key autoincrement,
      at integer not null,
      user_id text not null,
      project text not null,
      type text,
      request_id text,
      ok integer not null,
      error_code text,
      error_message text
    )`);
    // Added with actors beyond members; rows from before were all members'.
    const columns = sql.exec<{ name: string }>("pragma table_info(event_log)").toArray();
    if (!columns.some((c) => c.name === "actor_kind")) sql.exec("alter table event_log add column actor_kind text not null default 'user'");
    sql.exec("create index if not exists event_log_request on event_log (user_id, project, request_id)");
    // For loading the recent window on wake without scanning the whole log.
    sql.exec("create index if not exists event_log_at on event_log (at)");
  }

  /** The outcome recorded for this user's request id in the project since `since` (ms), if any. */
  find(userId: string, project: string, requestId: string, since: number): Outcome | null {
    if (this.#since === null) this.#load(since);
    for (const [key, entry] of this.#recent) {
      if (entry.at >= since) break;
      this.#recent.delete(key);
      // What was dropped is only in SQLite now, for a lookup reaching back further.
      this.#since = Math.max(this.#since!, since);
    }
    const recent = this.#recent.get(recentKey(userId, project, requestId));
    if (recent) return { ok: recent.ok, errorCode: recent.errorCode, errorMessage: recent.errorMessage, type: recent.type };
    if (since >= this.#since!) return null;
    // Older than what memory holds (a window wider than the first, or more than `maxRecent` since).
    const row = this.sql
      .exec<Row>("select * from event_log where user_id = ? and project = ? and request_id = ? and at >= ? order by id desc limit 1", userId, project, requestId, since)
      .toArray()[0];
    return row ? { ok: row.ok === 1, errorCode: row.error_code, errorMessage: row.error_message, type: row.type } : null;
  }

  /** Reads the outcomes recorded since `since` (the newest `maxRecent`) into memory. */
  #load(since: number): void {
    const rows = this.sql
      .exec<Row>("select * from event_log where at >= ? and request_id is not null order by id desc limit ?", since, this.maxRecent)
      .toArray()
      .reverse();
    this.#since = rows.length === this.maxRecent ? rows[0]!.at + 1 : since;
    for (const r of rows) this.#remember(recentKey(r.user_id, r.project, r.request_id!), { at: r.at, ok: r.ok === 1, errorCode: r.error_code, errorMessage: r.error_message, type: r.type });
  }

  #remember(key: string, outcome: Outcome & { at: number }): void {
    // Re-inserted, so the map stays in time order for pruning.
    this.#recent.delete(key);
    this.#recent.set(key, outcome);
    if (this.#recent.size > this.maxRecent) {
      const [oldest, { at }] = this.#recent.entries().next().value!;
      this.#recent.delete(oldest);
      // Lookups reaching before what is kept go to SQLite.
      this.#since = Math.max(this.#since ?? 0, at + 1);
    }
  }

  /** Records one event's outcome. */
  append(entry: Omit<EventLogEntry, "id" | "at" | "actorKind"> & { actorKind?: PrincipalKind }): void {
    const at = Date.now();
    const errorMessage = entry.errorMessage?.slice(0, 500) ?? null;
    this.sql.exec(
      "insert into event_log (at, actor_kind, user_id, project, type, request_id, ok, error_code, error_message) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      at, entry.actorKind ?? "user", entry.userId, entry.project, entry.type, entry.requestId, entry.ok ? 1 : 0, entry.errorCode, errorMessage,
    );
    // Before the first lookup, memory is not kept: that lookup loads what it needs.
    if (entry.requestId !== null && this.#since !== null) {
      this.#remember(recentKey(entry.userId, entry.project, entry.requestId), { at, ok: entry.ok, errorCode: entry.errorCode, errorMessage, type: entry.type });
    }
  }

  /** Newest first, `limit` entries older than `before` (an id), and the cursor of the next page. */
  page(options: { before?: number; limit: number }): { entries: EventLogEntry[]; nextBefore: number | null } {
    const rows = this.sql
      .exec<Row>("select * from event_log where id < ? order by id desc limit ?", options.before ?? Number.MAX_SAFE_INTEGER, options.limit + 1)
      .toArray();
    const entries = rows.slice(0, options.limit).map((r) => ({
      id: r.id, at: new Date(r.at).toISOString(), actorKind: r.actor_kind as PrincipalKind, userId: r.user_id, project: r.project, type: r.type, requestId: r.request_id, ok: r.ok === 1, errorCode: r.error_code, errorMessage: r.error_message,
    }));
    return { entries, nextBefore: rows.length > options.limit ? entries.at(-1)!.id : null };
  }
}

function recentKey(userId: string, project: string, requestId: string): string {
  return `${userId}\n${project}\n${requestId}`;
}
