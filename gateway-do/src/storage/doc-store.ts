/**
 * Project docs in the Durable Object's SQLite: an append-only log of Yjs updates per project,
 * compacted now and then into a snapshot split into chunks (a SQLite value is at most 2 MB).
 * Loading applies the snapshot, then the updates logged after it. Each snapshot keeps its
 * state vector, so a room can serve a freshly compacted doc without decoding it (see
 * ProjectRoom). Writes are synchronous;
 * the DO's output gate holds replies until they are durable, so an acknowledged event is
 * never lost, even if the process dies right after.
 */
import * as Y from "yjs";

/** Below the 2 MB limit with room to spare. */
export const CHUNK_BYTES = 1_500_000;

/** The part of the DO's `SqlStorage` this uses (so tests and tools can stand in). */
export interface Sql {
  exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): { toArray(): T[]; one(): T };
}
type SqlStorageValue = ArrayBuffer | string | number | null;

export interface CompactionPolicy {
  /** Compact once this many updates are logged since the snapshot… */
  maxUpdates: number;
  /** …or once they add up to this many bytes. */
  maxBytes: number;
}

export const DEFAULT_POLICY: CompactionPolicy = { maxUpdates: 500, maxBytes: 4_000_000 };

/** A project's stored state, not yet applied to a doc. */
export interface StoredDoc {
  /** The snapshot (the doc's encoded state when compacted), or null before the first compaction. */
  snapshot: Uint8Array | null;
  /** The snapshot's state vector; null for a snapshot stored before state vectors were kept. */
  stateVector: Uint8Array | null;
  /** Updates logged since the snapshot, oldest first. */
  updates: Uint8Array[];
}

/** Builds a doc from stored state. */
export function buildDoc(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, "storage");
  if (stored.updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(stored.updates), "storage");
  return doc;
}

export class DocStore {
  constructor(
    private readonly sql: Sql,
    private readonly transaction: <T>(fn: () => T) => T,
  ) {
    sql.exec(`create table if not exists doc_updates (
      seq integer primary key autoincrement,
      project text not null,
      data blob not null
    )`);
    sql.exec("create index if not exists doc_updates_project on doc_updates (project, seq)");
    sql.exec(`create table if not exists doc_snapshots (
      project text not null,
      chunk integer not null,
      data blob not null,
      upto_seq integer not null,
      primary key (project, chunk)
    )`);
    sql.exec("create table if not exists doc_snapshot_vectors (project text primary key, data blob not null)");
  }

  /** The project's stored snapshot and log, as bytes. */
  read(project: string): StoredDoc {
    const chunks = this.sql.exec<{ data: ArrayBuffer; upto_seq: number }>("select data, upto_seq from doc_snapshots where project = ? order by chunk", project).toArray();
    const uptoSeq = chunks[0]?.upto_seq ?? 0;
    const updates = this.sql.exec<{ data: ArrayBuffer }>("select data from doc_updates where project = ? and seq > ? order by seq", project, uptoSeq).toArray();
    const vector = chunks.length > 0 ? this.sql.exec<{ data: ArrayBuffer }>("select data from doc_snapshot_vectors where project = ?", project).toArray()[0] : undefined;
    return {
      snapshot: chunks.length > 0 ? concat(chunks.map((c) => new Uint8Array(c.data))) : null,
      stateVector: vector ? new Uint8Array(vector.data) : null,
      updates: updates.map((u) => new Uint8Array(u.data)),
    };
  }

  /** Builds the project's doc from storage; a project never stored loads empty (`fresh`). */
  load(project: string): { doc: Y.Doc; fresh: boolean } {
    const stored = this.read(project);
    return { doc: buildDoc(stored), fresh: stored.snapshot === null && stored.updates.length === 0 };
  }

  /** Appends one update to the project's log. */
  append(project: string, update: Uint8Array): void {
    this.sql.exec("insert into doc_updates (project, data) values (?, ?)", project, update);
  }

  /** Bytes stored for the project: snapshot and log together (close to the doc's encoded size). */
  size(project: string): number {
    const snapshot = this.sql.exec<{ bytes: number | null }>("select sum(length(data)) as bytes from doc_snapshots where project = ?", project).one().bytes ?? 0;
    const log = this.sql.exec<{ bytes: number | null }>("select sum(length(data)) as bytes from doc_updates where project = ?", project).one().bytes ?? 0;
    return snapshot + log;
  }

  /** Updates and bytes logged since the last snapshot. */
  pending(project: string): { updates: number; bytes: number } {
    const upto = this.sql.exec<{ upto: number | null }>("select max(upto_seq) as upto from doc_snapshots where project = ?", project).one().upto ?? 0;
    const row = this.sql.exec<{ n: number; bytes: number | null }>("select count(*) as n, sum(length(data)) as bytes from doc_updates where project = ? and seq > ?", project, upto).one();
    return { updates: row.n, bytes: row.bytes ?? 0 };
  }

  /** True when the log has grown past the policy. */
  needsCompaction(project: string, policy: CompactionPolicy = DEFAULT_POLICY): boolean {
    const { updates, bytes } = this.pending(project);
    return updates >= policy.maxUpdates || bytes >= policy.maxBytes;
  }

  /** Replaces snapshot and log with one snapshot of `doc`, in one transaction. */
  compact(project: string, doc: Y.Doc): { chunks: number; bytes: number } {
    const state = Y.encodeStateAsUpdate(doc);
    const stateVector = Y.encodeStateVector(doc);
    return this.transaction(() => {
      const last = this.sql.exec<{ seq: number | null }>("select max(seq) as seq from doc_updates where project = ?", project).one().seq ?? 0;
      this.sql.exec("delete from doc_snapshots where project = ?", project);
      let chunk = 0;
      for (let offset = 0; offset < state.length || chunk === 0; offset += CHUNK_BYTES) {
        this.sql.exec("insert into doc_snapshots (project, chunk, data, upto_seq) values (?, ?, ?, ?)", project, chunk++, state.subarray(offset, offset + CHUNK_BYTES), last);
      }
      this.sql.exec("insert or replace into doc_snapshot_vectors (project, data) values (?, ?)", project, stateVector);
      this.sql.exec("delete from doc_updates where project = ? and seq <= ?", project, last);
      return { chunks: chunk, bytes: state.length };
    });
  }

  /** Forgets a project (deleted by the worker). */
  drop(project: string): void {
    this.transaction(() => {
      this.sql.exec("delete from doc_updates where project = ?", project);
      this.sql.exec("delete from doc_snapshots where project = ?", project);
      this.sql.exec("delete from doc_snapshot_vectors where project = ?", project);
    });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
