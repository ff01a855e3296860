/**
 * Versioned record types (kit.ts `defineRecord`, `readRecord`, `storedRecord`): an older
 * record reads in the current shape through its migrations, in order; a current one is the
 * stored value itself; one newer than the code knows, or that fails the schema after its
 * migrations, is skipped; what is written carries its version.
 */
import { describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { z } from "zod";
import { defineRecord, readRecord, storedRecord } from "../src/modules/kit";
import { userContainers } from "../src/modules/user-containers";

// A ticket, as a module might have changed it twice: v1 {id, beats}; v2 renamed beats to
// heartbeats; v3 added a label.
const TicketV3 = z.strictObject({ id: z.string(), heartbeats: z.number().int(), label: z.string() });
const ticketType = defineRecord({
  name: "ticket",
  version: 3,
  schema: TicketV3,
  up: [({ beats, ...rest }) => ({ ...rest, heartbeats: beats }), (old) => ({ ...old, label: `ticket ${String(old.id)}` })],
});

describe("versioned records", () => {
  it("reads a version 1 and a version 2 record in the current shape, one migration after another", () => {
    const doc = new Y.Doc();
    const map = doc.getMap<unknown>("tickets/tickets");
    map.set("a", { id: "a", beats: 4 });
    map.set("b", { id: "b", heartbeats: 7, v: 2 });
    expect(readRecord(ticketType, map.get("a"), "a")).toEqual({ id: "a", heartbeats: 4, label: "ticket a" });
    expect(readRecord(ticketType, map.get("b"), "b")).toEqual({ id: "b", heartbeats: 7, label: "ticket b" });
    // The same stored object reads as the same record, so readers caching by identity keep working.
    expect(readRecord(ticketType, map.get("a"), "a")).toBe(readRecord(ticketType, map.get("a"), "a"));
  });

  it("writes the current version, which reads back as itself", () => {
    const stored = storedRecord(ticketType, { id: "c", heartbeats: 1, label: "mine" });
    expect(stored).toEqual({ id: "c", heartbeats: 1, label: "mine", v: 3 });
    expect(readRecord(ticketType, stored, "c")).toEqual({ id: "c", heartbeats: 1, label: "mine" });
  });

  it("skips, and logs once, a record newer than the code or broken after its migrations", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(readRecord(ticketType, { id: "d", heartbeats: 1, label: "x", v: 4 }, "d")).toBeUndefined();
    expect(readRecord(ticketType, { id: "e", beats: "many" }, "e")).toBeUndefined();
    expect(readRecord(ticketType, "not a record", "f")).toBeUndefined();
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining("version 4; this code knows up to 3"),
      expect.stringContaining("heartbeats"),
      expect.stringContaining("record"),
    ]);
    warn.mockRestore();
  });

  it("refuses a type whose migrations do not match its version", () => {
    expect(() => defineRecord({ name: "odd", version: 2, schema: z.object({}), up: [] })).toThrow(/needs 1 migrations/);
  });

  it("is how user-containers declares what it keeps in a doc", () => {
    expect(Object.keys(userContainers.records ?? {})).toEqual(["containers"]);
    expect(userContainers.records?.containers?.version).toBe(1);
  });
});
