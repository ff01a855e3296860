/**
 * When each project was last edited by a person, and by whom: what the org's project list
 * shows as "edited 3 minutes ago by Ada". The worker asks for it when it lists projects (RPC),
 * so Postgres takes no write per change. Kept in the DO's SQLite, written at most once a
 * minute per project (every keystroke would otherwise cost a row write); the latest edit is
 * also kept in memory, so the answer is exact while the object is awake and at most a minute
 * old after it was evicted.
 */
import type { Sql } from "./doc-store";

/** A stored edit time is rewritten only when it is at least this old. */
export const EDIT_WRITE_INTERVAL_MS = 60_000;

/** The last edit of a project: when (epoch ms) and by which user. */
export interface ProjectEdit {
  at: number;
  userId: string;
}

/** Whether an edit at `now` must be written, given the one stored (pure: the throttle). */
export function mustWriteEdit(stored: ProjectEdit | undefined, now: number): boolean {
  return stored === undefined || now - stored.at >= EDIT_WRITE_INTERVAL_MS;
}

export class ProjectEdits {
  /** What is in SQLite, by project (read once). */
  #stored: Map<string, ProjectEdit> | null = null;
  /** Edits newer than what is stored. */
  readonly #latest = new Map<string, ProjectEdit>();

  constructor(private readonly sql: Sql) {
    sql.exec("create table if not exists project_edits (project text primary key, edited_at integer not null, edited_by text not null)");
  }

  #read(): Map<string, ProjectEdit> {
    this.#stored ??= new Map(
      this.sql.exec<{ project: string; edited_at: number; edited_by: string }>("select project, edited_at, edited_by from project_edits").toArray().map((r) => [r.project, { at: r.edited_at, userId: r.edited_by }]),
    );
    return this.#stored;
  }

  /** Records an edit by `userId`; writes it when the stored one is a minute old or more. */
  touch(project: string, userId: string, now = Date.now()): void {
    const edit = { at: now, userId };
    const stored = this.#read();
    if (mustWriteEdit(stored.get(project), now)) {
      this.sql.exec("insert or replace into project_edits (project, edited_at, edited_by) values (?, ?, ?)", project, now, userId);
      stored.set(project, edit);
      this.#latest.delete(project);
    } else {
      this.#latest.set(project, edit);
    }
  }

  /** Every project's last edit: the newest known, stored or in memory. */
  all(): Record<string, ProjectEdit> {
    const out: Record<string, ProjectEdit> = Object.fromEntries(this.#read());
    for (const [project, edit] of this.#latest) out[project] = edit;
    return out;
  }

  /** Forgets a deleted project. */
  drop(project: string): void {
    this.sql.exec("delete from project_edits where project = ?", project);
    this.#read().delete(project);
    this.#latest.delete(project);
  }
}
