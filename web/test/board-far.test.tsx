/**
 * The far board (zoomed out below FAR_ZOOM): its spatial index, what a click hits, what xyflow is
 * given, and what the canvas draws: one path per look, text only while legible, marks and
 * selection, edges as xyflow's beziers.
 */
import { describe, expect, it } from "vitest";
import { drawFar, legible, LEGIBLE_PX, wrapLines, type FarInk } from "../src/board/far-draw";
import { flowShown } from "../src/board/far-flow";
import { farScene, hitAt, itemsInside } from "../src/board/far-scene";
import { buildFlow, shapeFlowId } from "../src/board/flow-model";
import { SpatialIndex } from "../src/board/spatial-index";
import { projectDoc } from "./board-fixtures";

/** Notes a (0,0), b (400,0) grouped in g, c (0,400) with the text "Plan" and an edge c→b, a rectangle s and an ellipse o. */
function board() {
  const { doc, event } = projectDoc();
  event({ type: "notes:create", id: "a", viewId: "main", x: 0, y: 0, text: "# Alpha\nmore" });
  event({ type: "notes:create", id: "b", viewId: "main", x: 400, y: 0 });
  event({ type: "whiteboard:group", viewId: "main", nodeIds: ["a", "b"], groupId: "g" });
  event({ type: "notes:create", id: "c", viewId: "main", x: 0, y: 400, text: "Plan" });
  event({ type: "core-graph:connect", id: "e", from: "c", to: "b", kind: "relates-to" });
  event({ type: "whiteboard:create-shape", id: "s", viewId: "main", kind: "rectangle", x: 1000, y: 0, width: 200, height: 100 });
  event({ type: "whiteboard:create-shape", id: "o", viewId: "main", kind: "ellipse", x: 1000, y: 400, width: 200, height: 100 });
  return { doc, event };
}

const sceneOf = (doc: ReturnType<typeof board>["doc"], selected: string[] = []) => {
  const { nodes, edges } = buildFlow(doc, "main", { positions: new Map(), sizes: new Map(), deleted: new Set(), selected: new Set(selected) });
  return { scene: farScene(nodes, edges, doc), nodes, edges };
};

describe("the spatial index", () => {
  const boxes = Array.from({ length: 10_000 }, (_, i) => ({ id: i, x: (i % 100) * 300, y: Math.floor(i / 100) * 220, width: 240, height: 160 }));
  const index = new SpatialIndex(boxes);

  it("finds what lies under a point, and nothing between boxes", () => {
    expect(index.at(300 * 42 + 10, 220 * 17 + 10).map((b) => b.id)).toEqual([17 * 100 + 42]);
    expect(index.at(270, 10)).toEqual([]);
    expect(index.at(290, 10, 15).map((b) => b.id)).toEqual([1]);
  });

  it("finds every box meeting an area, once each, as a scan of all of them does", () => {
    const area = { x: 1000, y: 700, width: 1300, height: 900 };
    const scanned = boxes.filter((b) => b.x <= area.x + area.width && b.x + b.width >= area.x && b.y <= area.y + area.height && b.y + b.height >= area.y);
    const found = index.within(area);
    expect(found.length).toBe(scanned.length);
    expect(new Set(found.map((b) => b.id))).toEqual(new Set(scanned.map((b) => b.id)));
  });
});

describe("the far scene", () => {
  it("places children at their group's place, and draws each kind in its look under its style", () => {
    const { doc, event } = board();
    event({ type: "whiteboard:set-style", viewId: "main", items: [{ kind: "node", id: "c" }], style: { fill: "#dbeafe", stroke: "#2563eb" } });
    const { scene } = sceneOf(doc);
    const [g, a, c] = [scene.byId.get("g")!, scene.byId.get("a")!, scene.byId.get("c")!];
    expect({ x: a.x, y: a.y }).toEqual({ x: 0, y: 0 });
    expect(scene.byId.get("b")!.x).toBe(400);
    expect(a.drawn).toMatchObject({ outline: "box", fill: "#fef9c3", stroke: "#eab308" });
    expect(c.drawn).toMatchObject({ fill: "#dbeafe", stroke: "#2563eb" });
    expect(g.drawn).toMatchObject({ strokeStyle: "dashed" });
    expect(scene.byId.get(shapeFlowId("o"))!.drawn.outline).toBe("ellipse");
    // A note's line is its first line, without its heading marks.
    expect(a.line).toBe("Alpha");
    expect(c.line).toBe("Plan");
    // Bottom first: the group before its children.
    expect(scene.items.findIndex((i) => i.id === "g")).toBeLessThan(scene.items.findIndex((i) => i.id === "a"));
  });

  it("runs each edge from its source's right side to its target's left side, as xyflow's bezier", () => {
    const { scene } = sceneOf(board().doc);
    const edge = scene.edges.find((e) => e.id === "e")!;
    const [c, b] = [scene.byId.get("c")!, scene.byId.get("b")!];
    expect(edge.curve.slice(0, 2)).toEqual([c.x + c.width + 5, c.y + c.height / 2]);
    expect(edge.curve.slice(6)).toEqual([b.x - 5, b.y + b.height / 2]);
  });
});

describe("a click on the far board", () => {
  it("hits the topmost item under it: a note over its group, the group in its own empty part, nothing outside", () => {
    const { scene } = sceneOf(board().doc);
    expect(hitAt(scene, 10, 10, 2)).toMatchObject({ kind: "node", item: { id: "a" } });
    const g = scene.byId.get("g")!;
    expect(hitAt(scene, 300, g.y + g.height - 2, 2)).toMatchObject({ kind: "node", item: { id: "g" } });
    expect(hitAt(scene, -500, -500, 2)).toBeNull();
  });

  it("hits an ellipse inside its outline only, and an edge within the slack of its line", () => {
    const { scene } = sceneOf(board().doc);
    const o = scene.byId.get(shapeFlowId("o"))!;
    expect(hitAt(scene, o.x + 100, o.y + 50, 1)).toMatchObject({ item: { id: o.id } });
    expect(hitAt(scene, o.x + 3, o.y + 3, 1)).toBeNull();
    const edge = scene.edges.find((e) => e.id === "e")!;
    const [mx, my] = [(edge.curve[0] + edge.curve[6]) / 2, (edge.curve[1] + edge.curve[7]) / 2];
    expect(hitAt(scene, mx, my, 6)).toMatchObject({ kind: "edge", edge: { id: "e" } });
    expect(hitAt(scene, mx + 80, my, 6)).toBeNull();
  });

  it("selects what a dragged box wholly holds", () => {
    const { scene } = sceneOf(board().doc);
    const c = scene.byId.get("c")!;
    expect(itemsInside(scene, { x: c.x - 1, y: c.y - 1, width: c.width + 2, height: c.height + 2 }).map((i) => i.id)).toEqual(["c"]);
    expect(itemsInside(scene, { x: c.x + 1, y: c.y - 1, width: c.width, height: c.height + 2 })).toEqual([]);
  });
});

describe("what xyflow is given", () => {
  it("closer in, the board as it is; zoomed far out, every node hidden (the same object each time) and no edges, but what an export puts in the DOM", () => {
    const { nodes, edges } = sceneOf(board().doc);
    expect(flowShown(nodes, edges, false, new Set())).toEqual({ nodes, edges });
    const far = flowShown(nodes, edges, true, new Set());
    expect(far.nodes.every((n) => n.hidden)).toBe(true);
    expect(far.edges).toEqual([]);
    expect(flowShown(nodes, edges, true, new Set()).nodes[0]).toBe(far.nodes[0]);
    const exporting = flowShown(nodes, edges, true, new Set(["c", "b"]));
    expect(exporting.nodes.filter((n) => !n.hidden).map((n) => n.id).sort()).toEqual(["b", "c"]);
    expect(exporting.edges.map((e) => e.id)).toEqual(["e"]);
  });
});

/** A canvas context that records what is drawn (happy-dom has no 2D canvas). */
function recorder() {
  const calls: { name: string; args: unknown[] }[] = [];
  const state: Record<string, unknown> = { font: "" };
  const ctx = new Proxy(state, {
    get: (target, name: string) => {
      if (name in target) return target[name];
      if (name === "canvas") return { width: 1280, height: 800 };
      if (name === "measureText") return (s: string) => ({ width: s.length * 10 });
      return (...args: unknown[]) => void calls.push({ name, args });
    },
    set: (target, name: string, value) => {
      target[name] = value;
      if (name === "fillStyle" || name === "strokeStyle") calls.push({ name, args: [value] });
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, calls, count: (name: string) => calls.filter((c) => c.name === name).length };
}

const ink: FarInk = { color: (css) => css, accent: "#2563eb", card: "#fff", border: "#ddd", fg: "#111", ratio: 1 };

describe("the far board's drawing", () => {
  it("draws a board of notes with one fill and one stroke, whatever their number", () => {
    const { doc, event } = projectDoc();
    for (let i = 0; i < 300; i++) event({ type: "notes:create", id: `n${i}`, viewId: "main", x: (i % 20) * 300, y: Math.floor(i / 20) * 220 });
    const { scene } = sceneOf(doc);
    const r = recorder();
    drawFar(r.ctx, scene, { x: 0, y: 0, zoom: 0.1, width: 1280, height: 800 }, ink);
    expect(r.count("roundRect") + r.count("rect")).toBe(300);
    expect(r.count("fill")).toBe(1);
    expect(r.count("stroke")).toBe(1);
  });

  it("writes an item's line only while it is legible, and only for what is in view", () => {
    const { scene } = sceneOf(board().doc);
    const texts = (zoom: number, x = 0) => {
      const r = recorder();
      drawFar(r.ctx, scene, { x, y: 0, zoom, width: 1280, height: 800 }, ink);
      return r.calls.filter((c) => c.name === "fillText").map((c) => c.args[0]);
    };
    // A note's line is 25.6 flow px: legible from about 0.23.
    expect(legible(25.6, 0.1)).toBe(false);
    expect(legible(25.6, 0.3)).toBe(true);
    expect(legible(LEGIBLE_PX, 1)).toBe(true);
    expect(texts(0.1)).toEqual([]);
    expect(texts(0.3)).toEqual(expect.arrayContaining(["Alpha", "Plan"]));
    // Panned far to the right: nothing of the board in view, nothing written.
    expect(texts(0.3, -100_000)).toEqual([]);
  });

  it("outlines the selection in the accent and peers' selections in their colour, with their names", () => {
    const { doc } = board();
    const { nodes, edges } = buildFlow(doc, "main", { positions: new Map(), sizes: new Map(), deleted: new Set(), selected: new Set(["c"]) }, { positions: new Map(), selectedBy: new Map([["a", [{ name: "Ben", color: "#e11d48" }]]]) });
    const r = recorder();
    drawFar(r.ctx, farScene(nodes, edges, doc), { x: 0, y: 0, zoom: 0.2, width: 1280, height: 800 }, ink);
    const strokes = r.calls.filter((c) => c.name === "strokeStyle").map((c) => c.args[0]);
    expect(strokes).toContain("#2563eb");
    expect(strokes).toContain("#e11d48");
    expect(r.calls.filter((c) => c.name === "fillText").map((c) => c.args[0])).toContain("Ben");
  });

  it("wraps a line in words to the width, cutting the last line kept with …", () => {
    const measure = (s: string) => s.length * 10;
    expect(wrapLines(measure, "one two three four", 90, 3)).toEqual(["one two", "three", "four"]);
    expect(wrapLines(measure, "one two three four", 90, 2)).toEqual(["one two", "three…"]);
  });
});
