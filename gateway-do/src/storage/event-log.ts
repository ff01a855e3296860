/** The org's event log in the DO's SQLite: every event, who sent it, to which project, and how it ended. */
import type { Sql } from "./doc-store";

export interface EventLogEntry {
  id: number;
  at: string;
  userId: string;
  project: string;
  type: string | null;
  requestId: string | null;
  ok: boolean;
  errorCode: string | null;
  errorMessage: string | null;
}

type Row = { id: number; at: number; user_id: string; project: string; type: string | null; request_id: string | null; ok: number; error_code: string | null; error_message: string | null };

export class EventLog {
  constructor(private readonly sql: Sql) {
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
    sql.exec("create index if not exists event_log_request on event_log (user_id, project, request_id)");
  }

  /** The outcome recorded for this user's request id in the project since `since` (ms), if any. */
  find(userId: string, project: string, requestId: string, since: number): Pick<EventLogEntry, "ok" | "errorCode" | "errorMessage" | "type"> | null {
    const row = this.sql
      .exec<Row>("select * from event_log where user_id = ? and project = ? and request_id = ? and at >= ? order by id desc limit 1", userId, project, requestId, since)
      .toArray()[0];
    return row ? { ok: row.ok === 1, errorCode: row.error_code, errorMessage: row.error_message, type: row.type } : null;
  }

  /** Records one event's outcome. */
  append(entry: Omit<EventLogEntry, "id" | "at">): void {
    this.sql.exec(
      "insert into event_log (at, user_id, project, type, request_id, ok, error_code, error_message) values (?, ?, ?, ?, ?, ?, ?, ?)",
      Date.now(), entry.userId, entry.project, entry.type, entry.requestId, entry.ok ? 1 : 0, entry.errorCode, entry.errorMessage?.slice(0, 500) ?? null,
    );
  }

  /** Newest first, `limit` entries older than `before` (an id), and the cursor of the next page. */
  page(options: { before?: number; limit: number }): { entries: EventLogEntry[]; nextBefore: number | null } {
    const rows = this.sql
      .exec<Row>("select * from event_log where id < ? order by id desc limit ?", options.before ?? Number.MAX_SAFE_INTEGER, options.limit + 1)
      .toArray();
    const entries = rows.slice(0, options.limit).map((r) => ({
      id: r.id, at: new Date(r.at).toISOString(), userId: r.user_id, project: r.project, type: r.type, requestId: r.request_id, ok: r.ok === 1, errorCode: r.error_code, errorMessage: r.error_message,
    }));
    return { entries, nextBefore: rows.length > options.limit ? entries.at(-1)!.id : null };
  }
}
