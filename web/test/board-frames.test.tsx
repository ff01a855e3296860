/**
 * Issue #18's frames and bound arrows on the web: what a frame holds is drawn relative to it,
 * a drop puts an item in a frame or takes it out, the frame tool takes in what it is drawn
 * around, undo of a frame's delete puts back what it held, and a bound arrow follows its items
 * (as they are dragged here, before any gateway answer).
 */
import { describe, expect, it } from "vitest";
import { nodesOf } from "../../gateway-do/src/modules/core-graph";
import { absolutePosition, groupNamesOf, placementKey, placementsOf, shapesOf } from "../../gateway-do/src/modules/whiteboard/placements";
import { copySelection, pasteCommand } from "../src/board/clipboard";
import { gridToBoard } from "../../gateway-do/src/modules/whiteboard/geometry";
import { deleteCommand, frameCommand } from "../src/board/commands";
import { buildFlow, shapeFlowId, type ShapeNodeData } from "../src/board/flow-model";
import { farScene, hitAt } from "../src/board/far-scene";
import { frameChangesOnDrop } from "../src/board/frames";
import { PALETTE } from "../src/board/presence";
import { BoardStore } from "../src/board/store";
import { createTools } from "../src/modules/registry";
import { arrowEndsCommand, arrowEndsOf, movedEnd } from "../src/modules/whiteboard/arrow-ends";
import { gatewayConnection, projectDoc } from "./board-fixtures";

function board() {
  const { doc, event } = projectDoc();
  const store = new BoardStore(gatewayConnection(doc, event), { userId: "ada", name: "Ada", color: PALETTE[0]! });
  return { doc, event, store };
}
const frameTool = () => createTools().find((t) => t.key === "f")!;

describe("frames on the web", () => {
  it("the frame tool takes in what lies wholly inside what was drawn, and what it holds is drawn relative to it", async () => {
    const { doc, event, store } = board();
    event({ type: "notes:create", id: "in", viewId: "main", x: 100, y: 100 });
    event({ type: "notes:create", id: "across", viewId: "main", x: 550, y: 100 });
    event({ type: "whiteboard:create-shape", id: "r", viewId: "main", kind: "rectangle", x: 120, y: 300, width: 100, height: 60 });
    const [frameId] = (await frameTool().draw!.make(store, "main", { gesture: "box", box: { x: 50, y: 50, width: 600, height: 400 }, dragged: true })) as string[];
    expect(nodesOf(doc).get(frameId!)?.kind).toBe("frame");
    expect(placementsOf(doc).get(placementKey("main", "in"))).toMatchObject({ parent: frameId, x: 50, y: 50 });
    expect(placementsOf(doc).get(placementKey("main", "across"))?.parent).toBeNull();
    expect(shapesOf(doc).get("r")).toMatchObject({ parent: frameId, x: 70, y: 250 });
    const { nodes } = buildFlow(doc, "main");
    expect(nodes.find((n) => n.id === "in")).toMatchObject({ parentId: frameId, position: { x: 50, y: 50 } });
    expect(nodes.find((n) => n.id === "shape:r")).toMatchObject({ parentId: frameId });
    // The frame comes before what it holds, as xyflow needs.
    expect(nodes.findIndex((n) => n.id === frameId)).toBeLessThan(nodes.findIndex((n) => n.id === "shape:r"));
    // A frame drawn inside it goes in it, taking in what it holds there.
    const [inner] = (await frameTool().draw!.make(store, "main", { gesture: "box", box: { x: 80, y: 80, width: 320, height: 260 }, dragged: true })) as string[];
    expect(placementsOf(doc).get(placementKey("main", inner!))).toMatchObject({ parent: frameId, x: 30, y: 30 });
    expect(placementsOf(doc).get(placementKey("main", "in"))).toMatchObject({ parent: inner, x: 20, y: 20 });
    // A shape drawn inside the frame is made in it.
    const [made] = (await createTools().find((t) => t.key === "r")!.draw!.make(store, "main", { gesture: "box", box: { x: 400, y: 300, width: 40, height: 40 }, dragged: true })) as string[];
    expect(shapesOf(doc).get(made!.slice(6))).toMatchObject({ parent: frameId, x: 350, y: 250 });
  });

  it("what sits in a locked frame, or in a frame inside one, is locked on the board; a locked frame takes in no drop", () => {
    const { event, store } = board();
    event({ type: "whiteboard:create-frame", id: "outer", viewId: "main", x: 0, y: 0, width: 1000, height: 1000 });
    event({ type: "whiteboard:create-frame", id: "inner", viewId: "main", x: 100, y: 100, width: 500, height: 500 });
    event({ type: "whiteboard:set-frame", viewId: "main", frameId: "outer", nodes: [{ id: "inner", x: 100, y: 100 }] });
    event({ type: "notes:create", id: "n", viewId: "main", x: 150, y: 150 });
    event({ type: "whiteboard:create-shape", id: "r", viewId: "main", kind: "rectangle", x: 200, y: 300, width: 100, height: 60 });
    event({ type: "whiteboard:set-frame", viewId: "main", frameId: "inner", shapes: [{ id: "r", x: 200, y: 300 }] });
    event({ type: "notes:create", id: "loose", viewId: "main", x: 2000, y: 0 });
    const item = (id: string) => store.getSnapshot().nodes.find((n) => n.id === id)!;
    expect(item("n")).toMatchObject({ parentId: "inner", draggable: true, data: { locked: false } });
    expect(item("shape:r")).toMatchObject({ parentId: "inner", draggable: true, data: { locked: false } });
    event({ type: "whiteboard:set-locked", viewId: "main", nodeIds: ["outer"], value: true });
    for (const id of ["inner", "n", "shape:r"]) expect(item(id)).toMatchObject({ draggable: false, data: { locked: true } });
    // Dropped over them, the loose note joins neither.
    expect(frameChangesOnDrop(store.getSnapshot().nodes, [{ id: "loose", x: 300, y: 300 }])).toEqual([]);
  });

  it("what sticks out of a frame is not drawn (DOM and far canvas), unless selected or dragged; frames within frames clip by both", () => {
    const { doc, event, store } = board();
    event({ type: "whiteboard:create-frame", id: "f", viewId: "main", x: 0, y: 0, width: 600, height: 400 });
    event({ type: "notes:create", id: "n", viewId: "main", x: 450, y: 100, width: 200, height: 100 });
    event({ type: "notes:create", id: "inside", viewId: "main", x: 100, y: 100, width: 200, height: 100 });
    event({ type: "whiteboard:create-shape", id: "r", viewId: "main", kind: "rectangle", x: 20, y: 350, width: 100, height: 100 });
    event({ type: "whiteboard:set-frame", viewId: "main", frameId: "f", shapes: [{ id: "r", x: 20, y: 350 }] });
    const item = (id: string) => store.getSnapshot().nodes.find((n) => n.id === id)!;
    expect(item("n")).toMatchObject({ parentId: "f", style: { clipPath: "inset(0px 50px 0px 0px)" } });
    expect(item("shape:r")).toMatchObject({ style: { clipPath: "inset(0px 0px 50px 0px)" } });
    expect(item("inside").style).toBeUndefined();
    // The far canvas draws it in the same part of the board.
    const scene = farScene(store.getSnapshot().nodes, [], doc);
    expect(scene.items.find((i) => i.id === "n")?.clip).toEqual({ x: 450, y: 100, width: 150, height: 100 });
    expect(scene.items.find((i) => i.id === "inside")?.clip).toBeUndefined();
    // A click on the part not drawn is on what lies beneath (the board), one on the part drawn on the note.
    expect(hitAt(scene, 620, 150, 0)).toBeNull();
    expect(hitAt(scene, 580, 150, 0)).toMatchObject({ kind: "node", item: { id: "n" } });
    // Selected, or dragged here, it is drawn whole.
    store.setSelection(new Set(["n"]));
    expect(item("n").style).toBeUndefined();
    store.setSelection(new Set());
    store.positions.set("shape:r", { x: 20, y: 360, owner: Symbol("drag") });
    store.touch();
    expect(item("shape:r").style).toBeUndefined();
    store.positions.delete("shape:r");
    // A frame shrunk clips more; in a frame within a frame, by both.
    event({ type: "whiteboard:create-frame", id: "outer", viewId: "main", x: -100, y: -100, width: 640, height: 1100 });
    event({ type: "whiteboard:set-frame", viewId: "main", frameId: "outer", nodes: [{ id: "f", x: 0, y: 0 }] });
    expect(item("n")).toMatchObject({ style: { clipPath: "inset(0px 110px 0px 0px)" } });
  });

  it("a drop with the item's centre in a frame puts it in; out of it, takes it out; a group's child stays; undo puts each back", async () => {
    const { doc, event, store } = board();
    event({ type: "whiteboard:create-frame", id: "f", viewId: "main", x: 1000, y: 0, width: 600, height: 400 });
    event({ type: "notes:create", id: "a", viewId: "main", x: 0, y: 0 });
    event({ type: "notes:create", id: "b", viewId: "main", x: 0, y: 500 });
    event({ type: "notes:create", id: "c", viewId: "main", x: 400, y: 500 });
    event({ type: "whiteboard:group", viewId: "main", nodeIds: ["b", "c"], groupId: "g" });
    const nodes = store.getSnapshot().nodes;
    // a dropped at 1100,100 (in f); b (in group g) dropped anywhere stays; a drop that lands outside any frame changes nothing.
    const changes = frameChangesOnDrop(nodes, [{ id: "a", x: 1100, y: 100 }, { id: "b", x: 1100, y: -400 }]);
    expect(changes).toEqual([{ id: "a", frame: "f", at: { x: 1100, y: 100 }, relative: { x: 100, y: 100 } }]);
    expect(frameChangesOnDrop(nodes, [{ id: "a", x: 10, y: 10 }])).toEqual([]);
    await store.run(frameCommand(store, "main", changes.map((c) => ({ ...c, from: { id: c.id, frame: null, at: { x: 0, y: 0 }, relative: { x: 0, y: 0 } } }))));
    expect(placementsOf(doc).get(placementKey("main", "a"))).toMatchObject({ parent: "f", x: 100, y: 100 });
    // Dragged out again, relative to the frame: it leaves it where it was dropped.
    const out = frameChangesOnDrop(store.getSnapshot().nodes, [{ id: "a", x: -900, y: 100 }]);
    expect(out).toEqual([{ id: "a", frame: null, at: { x: 100, y: 100 }, relative: { x: 100, y: 100 } }]);
    await store.undo();
    expect(placementsOf(doc).get(placementKey("main", "a"))).toMatchObject({ parent: null, x: 0, y: 0 });
  });

  it("undo of a frame's delete brings it back holding what it held, shapes deleted with it included", async () => {
    const { doc, event, store } = board();
    event({ type: "whiteboard:create-frame", id: "f", viewId: "main", x: 200, y: 200, width: 600, height: 400, name: "Plan" });
    event({ type: "notes:create", id: "n", viewId: "main", x: 300, y: 300 });
    event({ type: "whiteboard:create-shape", id: "s", viewId: "main", kind: "ellipse", x: 500, y: 400, width: 80, height: 80 });
    event({ type: "whiteboard:set-frame", viewId: "main", frameId: "f", nodes: [{ id: "n", x: 300, y: 300 }], shapes: [{ id: "s", x: 500, y: 400 }] });
    await store.run(deleteCommand(store, "main", ["f", shapeFlowId("s")]));
    expect(nodesOf(doc).has("f")).toBe(false);
    expect(absolutePosition(doc, placementsOf(doc).get(placementKey("main", "n"))!)).toEqual({ x: 300, y: 300 });
    await store.undo();
    expect(nodesOf(doc).get("f")?.kind).toBe("frame");
    expect(placementsOf(doc).get(placementKey("main", "n"))).toMatchObject({ parent: "f", x: 100, y: 100 });
    expect(shapesOf(doc).get("s")).toMatchObject({ parent: "f", x: 300, y: 200 });
    // A note deleted alone from a frame comes back in it.
    await store.run(deleteCommand(store, "main", ["n"]));
    await store.undo();
    expect(placementsOf(doc).get(placementKey("main", "n"))).toMatchObject({ parent: "f", x: 100, y: 100 });
  });
});

describe("copying frames", () => {
  it("a frame copied alone is pasted holding copies of what it held; a shape copied out of a frame lands where it was seen", async () => {
    const { doc, event, store } = board();
    event({ type: "whiteboard:create-frame", id: "f", viewId: "main", x: 100, y: 100, width: 600, height: 400, name: "Plan" });
    event({ type: "notes:create", id: "n", viewId: "main", x: 150, y: 150, text: "inside" });
    event({ type: "whiteboard:create-shape", id: "s", viewId: "main", kind: "rectangle", x: 400, y: 300, width: 100, height: 60 });
    event({ type: "whiteboard:set-frame", viewId: "main", frameId: "f", nodes: [{ id: "n", x: 150, y: 150 }], shapes: [{ id: "s", x: 400, y: 300 }] });
    store.setSelection(new Set(["f"]));
    const clip = copySelection(store)!;
    const paste = pasteCommand(store, "main", clip, { x: 1000, y: 100 });
    expect(await store.run(paste)).toBe(true);
    const [copy] = paste.ids;
    expect(nodesOf(doc).get(copy!)?.kind).toBe("frame");
    expect(groupNamesOf(doc).get(copy!)).toBe("Plan");
    const held = [...placementsOf(doc).values()].filter((p) => p.parent === copy);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ x: 50, y: 50 });
    const shapes = [...shapesOf(doc).values()].filter((sh) => sh.parent === copy);
    expect(shapes).toHaveLength(1);
    expect(shapes[0]).toMatchObject({ x: 300, y: 200 });
    // The shape alone, copied out of the frame: where it lay on the board.
    store.setSelection(new Set(["shape:s"]));
    const alone = copySelection(store)!;
    expect(alone.origin).toEqual({ x: 400, y: 300 });
  });
});

describe("bound arrows on the web", () => {
  it("follow their items as they are dragged here, and stay put themselves", () => {
    const { doc, event, store } = board();
    event({ type: "whiteboard:create-shape", id: "r", viewId: "main", kind: "rectangle", x: 0, y: 0, width: 100, height: 100 });
    event({ type: "notes:create", id: "n", viewId: "main", x: 400, y: 0, width: 200, height: 100 });
    event({ type: "whiteboard:create-shape", id: "a", viewId: "main", kind: "arrow", x: 100, y: 0, width: 300, height: 100, points: [0, 500, 1000, 500], from: "r", to: "n" });
    const arrowOf = () => {
      const node = store.getSnapshot().nodes.find((n) => n.id === "shape:a")!;
      const shape = (node.data as ShapeNodeData).shape;
      return { node, ends: gridToBoard(shape.points!, { ...node.position, width: node.width!, height: node.height! }) };
    };
    const before = arrowOf();
    expect(before.node.draggable).toBe(false);
    // Starts just right of the rectangle, ends just left of the note, on the line between their centres.
    expect(before.ends[0]!.x).toBeGreaterThan(100);
    expect(before.ends[0]!.x).toBeLessThan(112);
    expect(before.ends[1]!.x).toBeGreaterThan(388);
    expect(before.ends[1]!.x).toBeLessThan(400);
    // The note dragged down here: the arrow's end goes with it at once.
    store.positions.set("n", { x: 400, y: 600, owner: Symbol("drag") });
    store.touch();
    const after = arrowOf();
    expect(after.ends[1]!.y).toBeGreaterThan(500);
    expect(after.ends[0]!.y).toBeGreaterThan(50);
    // Dragging the arrow itself moves nothing.
    store.positions.set("shape:a", { x: -999, y: -999, owner: Symbol("drag") });
    store.touch();
    expect(arrowOf().node.position).toEqual(after.node.position);
    expect(shapesOf(doc).get("a")).toMatchObject({ x: 100, y: 0 });
  });

  it("an end dragged onto an item binds to it, onto the other end's item or empty board is free; undo binds it back", async () => {
    const { doc, event, store } = board();
    event({ type: "whiteboard:create-frame", id: "f", viewId: "main", x: 1000, y: 1000, width: 2000, height: 2000 });
    event({ type: "whiteboard:create-shape", id: "r", viewId: "main", kind: "rectangle", x: 1100, y: 1100, width: 100, height: 100 });
    event({ type: "notes:create", id: "n", viewId: "main", x: 1500, y: 1100, width: 200, height: 100 });
    event({ type: "whiteboard:create-shape", id: "a", viewId: "main", kind: "arrow", x: 1200, y: 1100, width: 300, height: 100, points: [0, 500, 1000, 500], from: "r", to: "n", parent: "f" });
    const stored = () => shapesOf(doc).get("a")!;
    // Its end dragged from the note to (1800, 1600) on the board, over the rectangle's id: bound to nothing (r holds the other end).
    const freed = movedEnd(stored(), 1, { x: 1210, y: 1150 }, { x: 1800, y: 1600 }, "r", { x: 1000, y: 1000 });
    expect(freed).toMatchObject({ from: "r", to: null });
    // Its box is relative to the frame holding it; its ends are where they were put.
    const [start, end] = gridToBoard(freed.points, { x: freed.x + 1000, y: freed.y + 1000, width: freed.width, height: freed.height });
    expect(Math.abs(start!.x - 1210) + Math.abs(start!.y - 1150)).toBeLessThan(3);
    expect(Math.abs(end!.x - 1800) + Math.abs(end!.y - 1600)).toBeLessThan(3);
    await store.run(arrowEndsCommand("a", freed, arrowEndsOf(stored())));
    expect(stored()).toMatchObject({ from: "r", parent: "f" });
    expect(stored()).not.toHaveProperty("to");
    // Its start dragged onto the note: bound to it.
    await store.run(arrowEndsCommand("a", movedEnd(stored(), 0, { x: 1800, y: 1600 }, { x: 1550, y: 1150 }, "n", { x: 1000, y: 1000 }), arrowEndsOf(stored())));
    expect(stored()).toMatchObject({ from: "n" });
    await store.undo();
    await store.undo();
    expect(stored()).toMatchObject({ from: "r", to: "n" });
  });

  it("pasted with the items they are bound to, are bound to the copies; an end whose item was not copied pastes free", async () => {
    const { doc, event, store } = board();
    event({ type: "whiteboard:create-shape", id: "r", viewId: "main", kind: "rectangle", x: 0, y: 0, width: 100, height: 100 });
    event({ type: "notes:create", id: "n", viewId: "main", x: 400, y: 0, width: 200, height: 100 });
    event({ type: "whiteboard:create-shape", id: "q", viewId: "main", kind: "ellipse", x: 400, y: 400, width: 100, height: 100 });
    event({ type: "whiteboard:create-shape", id: "a", viewId: "main", kind: "arrow", x: 100, y: 0, width: 300, height: 100, points: [0, 500, 1000, 500], from: "r", to: "n" });
    event({ type: "whiteboard:create-shape", id: "b", viewId: "main", kind: "arrow", x: 450, y: 100, width: 10, height: 300, points: [0, 0, 1000, 1000], from: "n", to: "q" });
    // The arrows first in the selection: they still paste after what they are bound to.
    store.setSelection(new Set(["shape:a", "shape:b", "shape:r", "n"]));
    const clip = copySelection(store)!;
    const paste = pasteCommand(store, "main", clip, { x: 1000, y: 1000 });
    await store.run(paste);
    const made = paste.ids.map((id) => shapesOf(doc).get(id.replace(/^shape:/, ""))).filter((s) => s !== undefined);
    const noteCopy = paste.ids.find((id) => nodesOf(doc).get(id)?.kind === "note")!;
    const rectCopy = made.find((s) => s.kind === "rectangle")!;
    const arrows = made.filter((s) => s.kind === "arrow");
    expect(arrows).toHaveLength(2);
    expect(arrows).toContainEqual(expect.objectContaining({ from: rectCopy.id, to: noteCopy }));
    const half = arrows.find((s) => s.from === noteCopy)!;
    expect(half).not.toHaveProperty("to");
    // The originals keep their bindings.
    expect(shapesOf(doc).get("a")).toMatchObject({ from: "r", to: "n" });
    expect(shapesOf(doc).get("b")).toMatchObject({ from: "n", to: "q" });
  });
});
