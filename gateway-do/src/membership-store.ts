/**
 * The membership snapshot in the DO's SQLite, so it survives eviction and hibernation.
 * One table per list, replaced whole on every push inside one synchronous transaction.
 */
import { type MembershipSnapshot, emptySnapshot } from "./membership";

type Sql = SqlStorage;

/** Creates the tables if this DO has none yet. */
export function migrateMembership(sql: Sql): void {
  sql.exec(`
    CREATE TABLE IF NOT EXISTS membership_meta (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, synced_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS org_members (user_id TEXT PRIMARY KEY, role TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS projects (id TEXT PRIMARY KEY, visibility TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS project_members (project_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (project_id, user_id));
  `);
}

/** The stored version, or null when the worker has never pushed. */
export function storedVersion(sql: Sql): number | null {
  const row = sql.exec<{ version: number }>("SELECT version FROM membership_meta WHERE id = 1").toArray()[0];
  return row ? row.version : null;
}

/** Replaces the stored snapshot. Call inside `ctx.storage.transactionSync`. */
export function writeMembership(sql: Sql, snapshot: MembershipSnapshot): void {
  sql.exec("DELETE FROM org_members");
  sql.exec("DELETE FROM projects");
  sql.exec("DELETE FROM project_members");
  for (const m of snapshot.members) sql.exec("INSERT INTO org_members (user_id, role) VALUES (?, ?)", m.userId, m.role);
  for (const p of snapshot.projects) {
    sql.exec("INSERT INTO projects (id, visibility) VALUES (?, ?)", p.id, p.visibility);
    for (const m of p.members) sql.exec("INSERT INTO project_members (project_id, user_id, role) VALUES (?, ?, ?)", p.id, m.userId, m.role);
  }
  sql.exec(
    "INSERT INTO membership_meta (id, version, synced_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version, synced_at = excluded.synced_at",
    snapshot.version,
    Date.now(),
  );
}

/** Reads the stored snapshot back (empty if never pushed). */
export function readMembership(sql: Sql, org: string): MembershipSnapshot {
  const version = storedVersion(sql);
  if (version === null) return emptySnapshot(org);
  const members = sql.exec<{ user_id: string; role: string }>("SELECT user_id, role FROM org_members").toArray();
  const projects = sql.exec<{ id: string; visibility: string }>("SELECT id, visibility FROM projects").toArray();
  const projectMembers = sql.exec<{ project_id: string; user_id: string; role: string }>("SELECT project_id, user_id, role FROM project_members").toArray();
  // Rows were written from a validated snapshot, so the casts restore what was checked then.
  return {
    org,
    version,
    members: members.map((m) => ({ userId: m.user_id, role: m.role as MembershipSnapshot["members"][number]["role"] })),
    projects: projects.map((p) => ({
      id: p.id,
      visibility: p.visibility as MembershipSnapshot["projects"][number]["visibility"],
      members: projectMembers
        .filter((m) => m.project_id === p.id)
        .map((m) => ({ userId: m.user_id, role: m.role as MembershipSnapshot["projects"][number]["members"][number]["role"] })),
    })),
  };
}
