/**
 * Issue #18's frames and bound arrows through the pipeline: `whiteboard:create-frame` and
 * `whiteboard:set-frame` (what a frame holds sits relative to it; a deleted frame leaves it where
 * it was), and arrows whose ends are bound to items (`from`, `to`): refusals say why and change
 * nothing; an item that goes leaves its arrows' ends where they were drawn.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { nodesOf } from "../src/modules/core-graph";
import { modules } from "../src/modules/registry";
import { outlineOf } from "../src/modules/whiteboard/bindings";
import { shapePosition } from "../src/modules/whiteboard/frames";
import { arrowEnds, gridToBoard } from "../src/modules/whiteboard/geometry";
import { absolutePosition, groupNamesOf, placementKey, placementsOf, shapesOf, viewsOf } from "../src/modules/whiteboard/placements";
import { member, ok, refusal, run } from "./pipeline-helpers";

function board() {
  const doc = new Y.Doc();
  for (const m of modules) m.seed?.(doc, 0);
  return doc;
}
const note = (doc: Y.Doc, id: string, x: number, y: number) => ok(run(doc, "notes:create", { id, viewId: "main", x, y, text: id }));
const rect = (doc: Y.Doc, id: string, x: number, y: number, kind = "rectangle") => ok(run(doc, "whiteboard:create-shape", { id, viewId: "main", kind, x, y, width: 100, height: 60 }));
const placed = (doc: Y.Doc, id: string) => placementsOf(doc).get(placementKey("main", id))!;
const viewer = { ...member, grants: [] };

describe("frames", () => {
  it("makes a named frame at the back, holds nodes and shapes relative to it, and they move with it", () => {
    const doc = board();
    note(doc, "n", 300, 300);
    rect(doc, "r", 400, 420);
    ok(run(doc, "whiteboard:create-frame", { id: "f", viewId: "main", x: 200, y: 200, width: 600, height: 400, name: "Sprint" }));
    expect(nodesOf(doc).get("f")?.kind).toBe("frame");
    expect(groupNamesOf(doc).get("f")).toBe("Sprint");
    expect(placed(doc, "f").z).toBeLessThan(placed(doc, "n").z);
    ok(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "f", nodes: [{ id: "n", x: 300, y: 300 }], shapes: [{ id: "r", x: 400, y: 420 }] }));
    expect(placed(doc, "n")).toMatchObject({ parent: "f", x: 100, y: 100 });
    expect(shapesOf(doc).get("r")).toMatchObject({ parent: "f", x: 200, y: 220 });
    ok(run(doc, "whiteboard:move", { viewId: "main", moves: [{ nodeId: "f", x: 1200, y: 1200 }] }));
    expect(absolutePosition(doc, placed(doc, "n"))).toEqual({ x: 1300, y: 1300 });
    expect(shapePosition(doc, shapesOf(doc).get("r")!)).toEqual({ x: 1400, y: 1420 });
    // Taken out where it was dropped.
    ok(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: null, shapes: [{ id: "r", x: 50, y: 60 }] }));
    expect(shapesOf(doc).get("r")).toMatchObject({ x: 50, y: 60 });
    expect(shapesOf(doc).get("r")).not.toHaveProperty("parent");
  });

  it("frames nest, never inside themselves; a deleted frame leaves what it held in place, in the frame around it", () => {
    const doc = board();
    note(doc, "n", 0, 0);
    rect(doc, "r", 0, 0);
    ok(run(doc, "whiteboard:create-frame", { id: "outer", viewId: "main", x: 0, y: 0, width: 1000, height: 1000 }));
    ok(run(doc, "whiteboard:create-frame", { id: "inner", viewId: "main", x: 100, y: 100, width: 500, height: 500 }));
    ok(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "outer", nodes: [{ id: "inner", x: 100, y: 100 }] }));
    ok(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "inner", nodes: [{ id: "n", x: 150, y: 160 }], shapes: [{ id: "r", x: 200, y: 210 }] }));
    expect(refusal(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "inner", nodes: [{ id: "outer", x: 0, y: 0 }] }))).toMatchObject({ code: "invalid_frame", message: /inside itself/ });
    expect(refusal(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "inner", nodes: [{ id: "inner", x: 0, y: 0 }] }))).toMatchObject({ code: "invalid_frame" });
    ok(run(doc, "whiteboard:move", { viewId: "main", moves: [{ nodeId: "outer", x: 1000, y: 0 }] }));
    ok(run(doc, "core-graph:delete-nodes", { nodeIds: ["inner"] }));
    expect(placed(doc, "n")).toMatchObject({ parent: "outer", x: 150, y: 160 });
    expect(shapesOf(doc).get("r")).toMatchObject({ parent: "outer", x: 200, y: 210 });
    ok(run(doc, "core-graph:delete-nodes", { nodeIds: ["outer"] }));
    expect(placed(doc, "n")).toMatchObject({ parent: null, x: 1150, y: 160 });
    expect(shapesOf(doc).get("r")).toMatchObject({ x: 1200, y: 210 });
    expect(shapesOf(doc).get("r")).not.toHaveProperty("parent");
  });

  it("a group in a frame keeps its children in the frame when ungrouped", () => {
    const doc = board();
    note(doc, "a", 300, 300);
    note(doc, "b", 600, 300);
    ok(run(doc, "whiteboard:create-frame", { id: "f", viewId: "main", x: 200, y: 200, width: 1000, height: 600 }));
    ok(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "f", nodes: [{ id: "a", x: 300, y: 300 }, { id: "b", x: 600, y: 300 }] }));
    ok(run(doc, "whiteboard:group", { viewId: "main", nodeIds: ["a", "b"], groupId: "g" }));
    expect(placed(doc, "g").parent).toBe("f");
    expect(refusal(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: null, nodes: [{ id: "a", x: 0, y: 0 }] }))).toMatchObject({ code: "invalid_frame", message: /in a group/ });
    ok(run(doc, "whiteboard:ungroup", { viewId: "main", groupId: "g" }));
    expect(placed(doc, "a")).toMatchObject({ parent: "f", x: 100, y: 100 });
    expect(absolutePosition(doc, placed(doc, "b"))).toEqual({ x: 600, y: 300 });
  });

  it("refuses what is not a frame, another view's shape, locked frames and items, and strangers, changing nothing", () => {
    const doc = board();
    note(doc, "n", 0, 0);
    rect(doc, "r", 0, 0);
    ok(run(doc, "whiteboard:create-frame", { id: "f", viewId: "main", x: 0, y: 0, width: 400, height: 400 }));
    ok(run(doc, "whiteboard:create-view", { name: "Other" }));
    const other = [...viewsOf(doc).keys()].find((id) => id !== "main")!;
    ok(run(doc, "whiteboard:create-shape", { id: "far", viewId: other, kind: "rectangle", x: 0, y: 0, width: 50, height: 50 }));
    ok(run(doc, "whiteboard:create-frame", { id: "locked", viewId: "main", x: 0, y: 0, width: 400, height: 400 }));
    ok(run(doc, "whiteboard:set-locked", { viewId: "main", nodeIds: ["locked"], value: true }));
    const before = Y.encodeStateAsUpdate(doc);
    const cases: [Record<string, unknown>, object][] = [
      [{ viewId: "main", frameId: "n", nodes: [{ id: "f", x: 0, y: 0 }] }, { code: "invalid_frame", message: /not a frame/ }],
      [{ viewId: "main", frameId: "f", shapes: [{ id: "far", x: 0, y: 0 }] }, { code: "not_found" }],
      [{ viewId: "main", frameId: "locked", nodes: [{ id: "n", x: 0, y: 0 }] }, { code: "locked" }],
      [{ viewId: "main", frameId: "f", nodes: [] }, { code: "invalid_payload", message: /Name the nodes or shapes/ }],
      [{ viewId: "main", frameId: "f", nodes: [{ id: "nobody", x: 0, y: 0 }] }, { code: "not_found" }],
    ];
    for (const [payload, error] of cases) expect(refusal(run(doc, "whiteboard:set-frame", payload))).toMatchObject(error);
    expect(refusal(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "f", nodes: [{ id: "n", x: 0, y: 0 }] }, viewer))).toMatchObject({ code: "forbidden" });
    expect(refusal(run(doc, "whiteboard:create-frame", { viewId: "main", x: 0, y: 0, width: 400, height: 400 }, viewer))).toMatchObject({ code: "forbidden" });
    expect(refusal(run(doc, "whiteboard:create-shape", { id: "x", viewId: "main", kind: "rectangle", x: 0, y: 0, width: 50, height: 50, parent: "n" }))).toMatchObject({ code: "invalid_frame" });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    // What sits in a locked frame does not move.
    ok(run(doc, "whiteboard:set-locked", { viewId: "main", nodeIds: ["locked"], value: false }));
    ok(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "locked", shapes: [{ id: "r", x: 10, y: 10 }] }));
    ok(run(doc, "whiteboard:set-locked", { viewId: "main", nodeIds: ["locked"], value: true }));
    expect(refusal(run(doc, "whiteboard:update-shape", { shapeId: "r", x: 99 }))).toMatchObject({ code: "locked" });
  });

  it("a node made with its centre in a frame goes in the innermost one (not a locked one, nor one in a locked one); one made outside stays on the board", () => {
    const doc = board();
    ok(run(doc, "whiteboard:create-frame", { id: "outer", viewId: "main", x: 0, y: 0, width: 2000, height: 2000 }));
    ok(run(doc, "whiteboard:create-frame", { id: "inner", viewId: "main", x: 100, y: 100, width: 800, height: 800 }));
    ok(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "outer", nodes: [{ id: "inner", x: 100, y: 100 }] }));
    note(doc, "in", 200, 300);
    expect(placed(doc, "in")).toMatchObject({ parent: "inner", x: 100, y: 200 });
    note(doc, "edge", 1200, 100);
    expect(placed(doc, "edge")).toMatchObject({ parent: "outer", x: 1200, y: 100 });
    note(doc, "out", 3000, 0);
    expect(placed(doc, "out")).toMatchObject({ parent: null, x: 3000, y: 0 });
    ok(run(doc, "whiteboard:set-locked", { viewId: "main", nodeIds: ["inner"], value: true }));
    note(doc, "beside", 200, 300);
    expect(placed(doc, "beside").parent).toBe("outer");
    // A frame inside a locked frame takes nothing in either.
    ok(run(doc, "whiteboard:set-locked", { viewId: "main", nodeIds: ["inner"], value: false }));
    ok(run(doc, "whiteboard:set-locked", { viewId: "main", nodeIds: ["outer"], value: true }));
    note(doc, "under-lock", 200, 300);
    expect(placed(doc, "under-lock").parent).toBe(null);
    expect(refusal(run(doc, "whiteboard:move", { viewId: "main", moves: [{ nodeId: "in", x: 0, y: 0 }] }))).toMatchObject({ code: "locked", message: /in a locked group or frame/ });
  });

  it("a frame drawn inside a frame goes in it, and can take in what that frame holds", () => {
    const doc = board();
    ok(run(doc, "whiteboard:create-frame", { id: "big", viewId: "main", x: 0, y: 0, width: 2000, height: 2000 }));
    note(doc, "n", 300, 300);
    ok(run(doc, "whiteboard:create-frame", { id: "small", viewId: "main", x: 200, y: 200, width: 600, height: 600 }));
    expect(placed(doc, "small")).toMatchObject({ parent: "big", x: 200, y: 200 });
    ok(run(doc, "whiteboard:set-frame", { viewId: "main", frameId: "small", nodes: [{ id: "n", x: 300, y: 300 }] }));
    expect(placed(doc, "n")).toMatchObject({ parent: "small", x: 100, y: 100 });
  });

  it("a group or frame is renamed; a note is not", () => {
    const doc = board();
    note(doc, "n", 0, 0);
    ok(run(doc, "whiteboard:create-frame", { id: "f", viewId: "main", x: 0, y: 0, width: 400, height: 400 }));
    ok(run(doc, "whiteboard:rename-group", { groupId: "f", name: "Research" }));
    expect(groupNamesOf(doc).get("f")).toBe("Research");
    expect(refusal(run(doc, "whiteboard:rename-group", { groupId: "n", name: "x" }))).toMatchObject({ code: "invalid_group", message: /not a group or a frame/ });
  });
});

describe("bound arrows", () => {
  it("binds an arrow's ends to a shape and a node; refuses binding to nothing, to an arrow, to itself or on a non-arrow", () => {
    const doc = board();
    rect(doc, "r", 0, 0);
    note(doc, "n", 400, 0);
    ok(run(doc, "whiteboard:create-shape", { id: "a", viewId: "main", kind: "arrow", x: 100, y: 0, width: 300, height: 60, points: [0, 500, 1000, 500], from: "r", to: "n" }));
    expect(shapesOf(doc).get("a")).toMatchObject({ from: "r", to: "n" });
    const before = Y.encodeStateAsUpdate(doc);
    const base = { viewId: "main", kind: "arrow", x: 0, y: 0, width: 100, height: 40 };
    expect(refusal(run(doc, "whiteboard:create-shape", { ...base, from: "ghost" }))).toMatchObject({ code: "not_found", message: /to bind the arrow to/ });
    expect(refusal(run(doc, "whiteboard:create-shape", { ...base, from: "a" }))).toMatchObject({ code: "not_found" });
    expect(refusal(run(doc, "whiteboard:create-shape", { ...base, from: "r", to: "r" }))).toMatchObject({ code: "invalid_payload", message: /two different items/ });
    expect(refusal(run(doc, "whiteboard:create-shape", { ...base, kind: "rectangle", to: "r" }))).toMatchObject({ code: "invalid_payload", message: /Only an arrow binds/ });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it("an arrow's ends are moved, rebound and freed by update-shape; bad bindings are refused, changing nothing", () => {
    const doc = board();
    rect(doc, "r", 0, 0);
    rect(doc, "e", 600, 300, "ellipse");
    note(doc, "n", 0, 600);
    ok(run(doc, "whiteboard:create-shape", { id: "a", viewId: "main", kind: "arrow", x: 100, y: 0, width: 500, height: 300, points: [0, 0, 1000, 1000], from: "r", to: "e" }));
    ok(run(doc, "whiteboard:create-shape", { id: "b", viewId: "main", kind: "arrow", x: 0, y: 0, width: 100, height: 100, points: [0, 0, 1000, 1000] }));
    // The end on e dragged onto the note: bound to it, the other end still to r.
    ok(run(doc, "whiteboard:update-shape", { shapeId: "a", x: 50, y: 50, width: 100, height: 600, points: [0, 0, 1000, 1000], to: "n" }));
    expect(shapesOf(doc).get("a")).toMatchObject({ from: "r", to: "n", x: 50, height: 600, points: [0, 0, 1000, 1000] });
    // Dragged to empty board: freed.
    ok(run(doc, "whiteboard:update-shape", { shapeId: "a", to: null }));
    expect(shapesOf(doc).get("a")).toMatchObject({ from: "r" });
    expect(shapesOf(doc).get("a")).not.toHaveProperty("to");
    const before = Y.encodeStateAsUpdate(doc);
    const cases: [Record<string, unknown>, object][] = [
      [{ shapeId: "a", to: "r" }, { code: "invalid_arrow", message: /two different items/ }],
      [{ shapeId: "a", to: "b" }, { code: "not_found", message: /to bind the arrow to/ }],
      [{ shapeId: "a", from: "a" }, { code: "not_found" }],
      [{ shapeId: "a", to: "nobody" }, { code: "not_found" }],
      [{ shapeId: "r", to: "n" }, { code: "invalid_arrow", message: /is a rectangle/ }],
      [{ shapeId: "r", points: [0, 0, 1000, 1000] }, { code: "invalid_arrow" }],
      [{ shapeId: "a", points: [0, 0, 500, 500, 1000, 1000] }, { code: "invalid_arrow", message: /2 ends/ }],
      [{ shapeId: "a", points: [0, 0, 5000, 1000] }, { code: "invalid_payload" }],
    ];
    for (const [payload, error] of cases) expect(refusal(run(doc, "whiteboard:update-shape", payload))).toMatchObject(error);
    expect(refusal(run(doc, "whiteboard:update-shape", { shapeId: "b", to: "e" }, viewer))).toMatchObject({ code: "forbidden" });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    ok(run(doc, "whiteboard:update-shape", { shapeId: "a", locked: true }));
    expect(refusal(run(doc, "whiteboard:update-shape", { shapeId: "a", to: "e" }))).toMatchObject({ code: "locked" });
    expect(shapesOf(doc).get("a")).not.toHaveProperty("to");
  });

  it("an arrow's end bound to an ellipse meets its outline, not its box", () => {
    const ellipse = { x: 0, y: 0, width: 200, height: 100, round: true };
    const [start] = arrowEnds(ellipse, { x: 100 + 400, y: 50 + 400 });
    const box = arrowEnds({ ...ellipse, round: false }, { x: 500, y: 450 })[0];
    // Along the diagonal the ellipse's outline is nearer its centre than the box's corner side.
    expect(Math.hypot(start.x - 100, start.y - 50)).toBeLessThan(Math.hypot(box.x - 100, box.y - 50));
    expect(((start.x - 100) / 100) ** 2 + ((start.y - 50) / 50) ** 2).toBeGreaterThan(1);
  });

  it("when a bound item goes, the arrow keeps that end where it was last drawn and stays bound to the other", () => {
    const doc = board();
    rect(doc, "r", 0, 0);
    rect(doc, "e", 600, 300, "ellipse");
    ok(run(doc, "whiteboard:create-shape", { id: "a", viewId: "main", kind: "arrow", x: 100, y: 0, width: 500, height: 300, points: [0, 0, 1000, 1000], from: "r", to: "e" }));
    ok(run(doc, "whiteboard:update-shape", { shapeId: "e", x: 900, y: 0 }));
    const expected = arrowEnds(outlineOf(doc, "main", "r")!, outlineOf(doc, "main", "e")!);
    ok(run(doc, "whiteboard:delete-shapes", { shapeIds: ["e"] }));
    const arrow = shapesOf(doc).get("a")!;
    expect(arrow.from).toBe("r");
    expect(arrow).not.toHaveProperty("to");
    const [start, end] = gridToBoard(arrow.points!, arrow);
    for (const [got, want] of [[start!, expected[0]], [end!, expected[1]]] as const) {
      expect(Math.abs(got.x - want.x)).toBeLessThan(2);
      expect(Math.abs(got.y - want.y)).toBeLessThan(2);
    }
    // A node going does the same.
    note(doc, "n", 0, 600);
    ok(run(doc, "whiteboard:create-shape", { id: "b", viewId: "main", kind: "arrow", x: 0, y: 0, width: 100, height: 100, from: "n", to: "r" }));
    ok(run(doc, "core-graph:delete-nodes", { nodeIds: ["n"] }));
    expect(shapesOf(doc).get("b")).toMatchObject({ to: "r" });
    expect(shapesOf(doc).get("b")).not.toHaveProperty("from");
    expect(shapesOf(doc).get("b")!.points).toHaveLength(4);
  });
});
