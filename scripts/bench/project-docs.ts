/**
 * Large project docs for the cold-load measurement. A doc is built by the gateway's own
 * reducers (one `notes:create` event per node, placed on the main view, as a client would
 * send them) and written with the gateway's own DocStore as a compacted snapshot (what the
 * gateway's alarm leaves behind) into the org's Durable Object SQLite file, while workerd
 * is stopped. Loading it back is then the gateway's real path: DocStore.load + room creation.
 */
import { DatabaseSync } from "node:sqlite";
import * as Y from "yjs";
import { runEvent } from "../../gateway-do/src/events/pipeline";
import { modules } from "../../gateway-do/src/modules/registry";
import { DocStore, type Sql } from "../../gateway-do/src/storage/doc-store";

/** A project doc with `nodes` notes on the main view, built as the gateway builds it from events. */
export function buildProjectDoc(nodes: number, userId: string): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const m of modules) m.seed?.(doc, Date.now());
  }, "seed");
  const actor = { userId, grants: ["*:*"] };
  for (let i = 0; i < nodes; i++) {
    const outcome = runEvent(doc, { type: "notes:create", requestId: `seed-${i}`, viewId: "main", x: (i % 100) * 260, y: Math.floor(i / 100) * 180, text: `Note ${i}: some words of text` }, actor);
    if (!outcome.ok) throw new Error(`notes:create refused: ${outcome.error.message}`);
  }
  return doc;
}

/** DocStore's SQL interface over a node:sqlite database. */
function sqlOf(db: DatabaseSync): Sql {
  return {
    exec<T extends Record<string, ArrayBuffer | string | number | null>>(query: string, ...bindings: unknown[]) {
      const rows = db.prepare(query).all(...(bindings as (string | number | Uint8Array | null)[])) as T[];
      return { toArray: () => rows, one: () => rows[0]! };
    },
  };
}

/** Writes `doc` as project `project`'s stored state in the DO's SQLite file, and times DocStore.load of it in Node. */
export function writeProjectDoc(sqliteFile: string, project: string, doc: Y.Doc): { bytes: number; chunks: number; nodeLoadMs: number } {
  const db = new DatabaseSync(sqliteFile);
  try {
    const transaction = <T>(fn: () => T): T => {
      db.exec("begin");
      try {
        const result = fn();
        db.exec("commit");
        return result;
      } catch (error) {
        db.exec("rollback");
        throw error;
      }
    };
    const store = new DocStore(sqlOf(db), transaction);
    const { bytes, chunks } = store.compact(project, doc);
    const t0 = performance.now();
    const loaded = store.load(project);
    const nodeLoadMs = performance.now() - t0;
    loaded.doc.destroy();
    return { bytes, chunks, nodeLoadMs };
  } finally {
    db.close();
  }
}
