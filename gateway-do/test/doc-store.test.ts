/** The project doc store and the event log on a real Durable Object's SQLite storage. */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CHUNK_BYTES, DocStore, type Sql } from "../src/storage/doc-store";
import { EventLog } from "../src/storage/event-log";

async function withStore<T>(fn: (store: DocStore) => T): Promise<T> {
  const stub = env.GATEWAY.get(env.GATEWAY.idFromName(crypto.randomUUID()));
  return runInDurableObject(stub, (_instance, state) => fn(new DocStore(state.storage.sql, (f) => state.storage.transactionSync(f))));
}

/** Makes changes on `doc` and returns the updates they produced, one per change. */
function changes(doc: Y.Doc, n: number, write: (i: number) => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const listener = (u: Uint8Array) => updates.push(u);
  doc.on("update", listener);
  for (let i = 0; i < n; i++) write(i);
  doc.off("update", listener);
  return updates;
}

describe("DocStore", () => {
  it("loads exactly what was appended, per project", async () => {
    await withStore((store) => {
      const a = new Y.Doc();
      const b = new Y.Doc();
      for (const u of changes(a, 20, (i) => a.getMap("m").set(`k${i}`, i))) store.append("a", u);
      for (const u of changes(b, 3, (i) => b.getText("t").insert(0, `${i}`))) store.append("b", u);
      const loaded = store.load("a");
      expect(loaded.fresh).toBe(false);
      expect(loaded.doc.getMap("m").toJSON()).toEqual(a.getMap("m").toJSON());
      expect(store.load("b").doc.getText("t").toString()).toBe("210");
      expect(store.load("never").fresh).toBe(true);
    });
  });

  it("compacts into chunks under 2 MB and keeps updates logged afterwards", async () => {
    await withStore((store) => {
      const doc = new Y.Doc();
      const big = "x".repeat(1_000_000);
      for (const u of changes(doc, 4, (i) => doc.getMap("notes").set(`n${i}`, new Y.Text(big + i)))) store.append("p", u);
      expect(store.pending("p").updates).toBe(4);
      const { chunks, bytes } = store.compact("p", doc);
      expect(bytes).toBeGreaterThan(4_000_000);
      expect(chunks).toBe(Math.ceil(bytes / CHUNK_BYTES));
      expect(store.pending("p")).toEqual({ updates: 0, bytes: 0 });
      for (const u of changes(doc, 2, (i) => doc.getMap("extra").set(`e${i}`, i))) store.append("p", u);
      const loaded = store.load("p").doc;
      expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(doc));
      expect((loaded.getMap("notes").get("n3") as Y.Text).toString()).toBe(`${big}3`);
      expect(loaded.getMap("extra").toJSON()).toEqual({ e0: 0, e1: 1 });
    });
  });

  it("keeps each snapshot's state vector, and reads snapshot and log back as bytes", async () => {
    await withStore((store) => {
      const doc = new Y.Doc();
      for (const u of changes(doc, 3, (i) => doc.getMap("m").set(`k${i}`, i))) store.append("p", u);
      expect(store.read("p")).toMatchObject({ snapshot: null, stateVector: null });
      expect(store.read("p").updates).toHaveLength(3);
      store.compact("p", doc);
      expect(store.read("p")).toEqual({ snapshot: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc), updates: [] });
      for (const u of changes(doc, 1, () => doc.getMap("m").set("later", true))) store.append("p", u);
      expect(store.read("p").updates).toHaveLength(1);
      store.drop("p");
      expect(store.read("p")).toEqual({ snapshot: null, stateVector: null, updates: [] });
    });
  });

  it("says when the log has grown enough to compact", async () => {
    await withStore((store) => {
      const doc = new Y.Doc();
      for (const u of changes(doc, 5, (i) => doc.getMap("m").set(`k${i}`, i))) store.append("p", u);
      expect(store.needsCompaction("p", { maxUpdates: 6, maxBytes: 1e9 })).toBe(false);
      expect(store.needsCompaction("p", { maxUpdates: 5, maxBytes: 1e9 })).toBe(true);
      expect(store.needsCompaction("p", { maxUpdates: 1e9, maxBytes: 10 })).toBe(true);
      store.drop("p");
      expect(store.load("p").fresh).toBe(true);
    });
  });
});

describe("EventLog", () => {
  /** The DO's SQLite, counting the queries that read the log. */
  async function withSql<T>(fn: (sql: Sql, reads: () => number) => T): Promise<T> {
    const stub = env.GATEWAY.get(env.GATEWAY.idFromName(crypto.randomUUID()));
    return runInDurableObject(stub, (_instance, state) => {
      let reads = 0;
      const sql: Sql = {
        exec: (query, ...bindings) => {
          if (query.startsWith("select")) reads++;
          return state.storage.sql.exec(query, ...bindings);
        },
      };
      return fn(sql, () => reads);
    });
  }
  const entry = (requestId: string, ok = true) => ({ userId: "u", project: "p", type: "notes:create", requestId, ok, errorCode: ok ? null : "forbidden", errorMessage: ok ? null : "no" });

  it("answers request ids from memory after one load, and after a restart from what SQLite kept", async () => {
    await withSql((sql, reads) => {
      const first = new EventLog(sql);
      first.append(entry("r1"));
      first.append(entry("r2", false));
      const since = Date.now() - 60_000;
      // The first lookup loads the window once; the next ones and new outcomes need no query.
      expect(first.find("u", "p", "r1", since)).toEqual({ ok: true, errorCode: null, errorMessage: null, type: "notes:create" });
      expect(first.find("u", "p", "r2", since)).toMatchObject({ ok: false, errorCode: "forbidden" });
      expect(first.find("u", "p", "r3", since)).toBeNull();
      expect(first.find("someone-else", "p", "r1", since)).toBeNull();
      first.append(entry("r4"));
      expect(first.find("u", "p", "r4", since)).toMatchObject({ ok: true });
      expect(reads()).toBe(1);
      // A fresh object (after eviction) loads from SQLite.
      const second = new EventLog(sql);
      expect(second.find("u", "p", "r2", since)).toMatchObject({ ok: false, errorCode: "forbidden", errorMessage: "no" });
      expect(second.find("u", "p", "r4", since)).toMatchObject({ ok: true });
      expect(second.find("u", "p", "r9", since)).toBeNull();
      expect(reads()).toBe(2);
    });
  });

  it("asks SQLite about an outcome it dropped for a narrower window when a wider one looks", async () => {
    await withSql((sql, reads) => {
      const log = new EventLog(sql);
      const wide = Date.now() - 60_000;
      expect(log.find("u", "p", "none", wide)).toBeNull();
      log.append(entry("a"));
      // A window starting after "a" was recorded drops it from memory…
      expect(log.find("u", "p", "a", Date.now() + 1)).toBeNull();
      expect(reads()).toBe(1);
      // …and a wider window finds it in SQLite.
      expect(log.find("u", "p", "a", wide)).toMatchObject({ ok: true });
      expect(reads()).toBe(2);
    });
  });

  it("keeps at most its bound in memory and asks SQLite about what it let go", async () => {
    await withSql((sql, reads) => {
      const log = new EventLog(sql, 2);
      const since = Date.now() - 60_000;
      expect(log.find("u", "p", "none", since)).toBeNull();
      for (const id of ["a", "b", "c"]) log.append(entry(id));
      expect(log.find("u", "p", "c", since)).toMatchObject({ ok: true });
      expect(reads()).toBe(1);
      expect(log.find("u", "p", "a", since)).toMatchObject({ ok: true });
      expect(reads()).toBe(2);
    });
  });
});
