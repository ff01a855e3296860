/**
 * Issue #18's drawing tools on the web: the stroke geometry (box, grid points, thinning, outline),
 * what each drawing tool makes of a drag (a bound arrow is an edge, a free one a shape with its two
 * ends, a pen stroke a `draw` shape the gateway accepts), the keys arming and putting down a tool,
 * and a drawing's points kept through copy/paste and undo of a delete.
 */
import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import { afterEach, describe, expect, it } from "vitest";
import { edgesOf } from "../../gateway-do/src/modules/core-graph";
import { shapesOf } from "../../gateway-do/src/modules/whiteboard/placements";
import { MAX_STROKE_POINTS, POINT_GRID } from "../../gateway-do/src/modules/whiteboard/schema";
import { copySelection, pasteCommand } from "../src/board/clipboard";
import { deleteCommand } from "../src/board/commands";
import { shapeFlowId } from "../src/board/flow-model";
import { PALETTE } from "../src/board/presence";
import { BoardStore } from "../src/board/store";
import { BoardContext } from "../src/board/store-context";
import { armedTool } from "../src/board/tool";
import { useBoardActions } from "../src/board/use-board-actions";
import { useShortcuts } from "../src/board/use-shortcuts";
import type { Ack } from "../src/gateway/messages";
import type { Drawn } from "../src/modules/kit";
import { createTools } from "../src/modules/registry";
import { pointsIn, strokePath, thin, toShapePoints } from "../src/modules/whiteboard/strokes";
import { fakeConnection, projectDoc } from "./board-fixtures";

afterEach(cleanup);

describe("a stroke's geometry", () => {
  it("is a box around its points with a margin, the points on its grid, and back in px", () => {
    const { box, points } = toShapePoints([{ x: 100, y: 50 }, { x: 300, y: 150 }, { x: 200, y: 100 }], 10);
    expect(box).toEqual({ x: 90, y: 40, width: 220, height: 120 });
    expect(points.every((n) => Number.isInteger(n) && n >= 0 && n <= POINT_GRID)).toBe(true);
    // Back at the box's own size, within a grid step of where they were drawn.
    const back = pointsIn(points, box.width, box.height).map(([x, y]) => [x + box.x, y + box.y]);
    for (const [i, [x, y]] of [[100, 50], [300, 150], [200, 100]].entries()) {
      expect(Math.abs(back[i]![0]! - x!)).toBeLessThan(1);
      expect(Math.abs(back[i]![1]! - y!)).toBeLessThan(1);
    }
    // Twice the size: twice as far apart.
    expect(pointsIn(points, box.width * 2, box.height * 2)[1]).toEqual(pointsIn(points, box.width, box.height)[1]!.map((n) => n * 2));
  });

  it("keeps a flat line's box at least 8 px a side, and drops repeated points", () => {
    const { box, points } = toShapePoints([{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 100, y: 0 }], 0);
    expect(box.height).toBeGreaterThanOrEqual(8);
    expect(points).toHaveLength(4);
  });

  it("thins a long stroke to the most the gateway takes, first and last kept", () => {
    const long = Array.from({ length: 5000 }, (_, i) => ({ x: i, y: Math.sin(i / 50) * 100 }));
    const kept = thin(long);
    expect(kept).toHaveLength(MAX_STROKE_POINTS);
    expect(kept[0]).toBe(long[0]);
    expect(kept.at(-1)).toBe(long.at(-1));
    expect(toShapePoints(long, 6).points).toHaveLength(MAX_STROKE_POINTS * 2);
  });

  it("draws an outline path, wider for a wider stroke", () => {
    const line: [number, number][] = Array.from({ length: 20 }, (_, i) => [i * 10, 50]);
    const thick = (d: string) => {
      const ys = [...d.matchAll(/-?[\d.]+,(-?[\d.]+)/g)].map((m) => Number(m[1]));
      return Math.max(...ys) - Math.min(...ys);
    };
    expect(strokePath(line, 2)).toMatch(/^M[\d.]+,[\d.]+ Q.* Z$/);
    expect(thick(strokePath(line, 8))).toBeGreaterThan(thick(strokePath(line, 2)) * 2);
  });
});

/** A board whose gateway runs every event through its pipeline at once. */
function board() {
  const { doc, event } = projectDoc();
  const connection = fakeConnection(doc, async (e) => {
    event(e);
    return { requestId: String(e.requestId), ok: true } satisfies Ack;
  });
  const store = new BoardStore(connection, { userId: "ada", name: "Ada", color: PALETTE[0]! });
  return { doc, event, store, connection };
}
const toolOf = (key: string) => createTools().find((t) => t.key === key)!;
const make = (key: string, store: BoardStore, drawn: Drawn) => toolOf(key).draw!.make(store, "main", drawn);

describe("what a drawing tool makes", () => {
  it("arrow from one note to another: an edge of the chosen kind between them, selected", async () => {
    const { doc, event, store, connection } = board();
    event({ type: "notes:create", id: "a", viewId: "main", x: 0, y: 0 });
    event({ type: "notes:create", id: "b", viewId: "main", x: 500, y: 0 });
    const ids = await make("a", store, { gesture: "line", from: { x: 100, y: 50 }, to: { x: 600, y: 60 }, fromItem: "a", toItem: "b", edgeKind: "depends-on" });
    expect(connection.sent.map((e) => e.type)).toEqual(["core-graph:connect"]);
    expect(edgesOf(doc).get((ids as string[])[0]!)).toMatchObject({ from: "a", to: "b", kind: "depends-on" });
  });

  it("arrow on empty canvas (or on what is not on the board): a free arrow from where it started to where it ended", async () => {
    const { doc, store } = board();
    const [id] = (await make("a", store, { gesture: "line", from: { x: 300, y: 100 }, to: { x: 100, y: 300 }, fromItem: "gone", toItem: null, edgeKind: "relates-to" })) as string[];
    const shape = shapesOf(doc).get(id!.replace("shape:", ""))!;
    expect(shape).toMatchObject({ kind: "arrow", x: 88, y: 88, width: 224, height: 224 });
    // Starts top right, ends bottom left.
    expect(shape.points![0]).toBeGreaterThan(shape.points![2]!);
    expect(shape.points![1]).toBeLessThan(shape.points![3]!);
    expect(edgesOf(doc).size).toBe(0);
  });

  it("arrow from a shape, or onto one: bound to the shape and the node under its ends, never to another arrow", async () => {
    const { doc, event, store } = board();
    event({ type: "notes:create", id: "n", viewId: "main", x: 500, y: 0 });
    event({ type: "whiteboard:create-shape", id: "r", viewId: "main", kind: "rectangle", x: 0, y: 0, width: 100, height: 60 });
    event({ type: "whiteboard:create-shape", id: "old", viewId: "main", kind: "arrow", x: 0, y: 200, width: 100, height: 40 });
    const line = (fromItem: string | null, toItem: string | null) => ({ gesture: "line" as const, from: { x: 50, y: 30 }, to: { x: 600, y: 60 }, fromItem, toItem, edgeKind: "relates-to" as const });
    const [both] = (await make("a", store, line("shape:r", "n"))) as string[];
    expect(shapesOf(doc).get(both!.slice(6))).toMatchObject({ kind: "arrow", from: "r", to: "n" });
    const [one] = (await make("a", store, line(null, "shape:r"))) as string[];
    expect(shapesOf(doc).get(one!.slice(6))).toMatchObject({ to: "r" });
    expect(shapesOf(doc).get(one!.slice(6))).not.toHaveProperty("from");
    const [free] = (await make("a", store, line("shape:old", null))) as string[];
    expect(shapesOf(doc).get(free!.slice(6))).not.toHaveProperty("from");
    expect(edgesOf(doc).size).toBe(0);
  });

  it("arrow from a note to a frame or a group (which have no handles): a bound arrow, not an edge no one could see", async () => {
    const { doc, event, store } = board();
    event({ type: "notes:create", id: "n", viewId: "main", x: 0, y: 0 });
    event({ type: "whiteboard:create-frame", id: "f", viewId: "main", x: 600, y: 0, width: 400, height: 300 });
    const [id] = (await make("a", store, { gesture: "line", from: { x: 50, y: 50 }, to: { x: 700, y: 100 }, fromItem: "n", toItem: "f", edgeKind: "relates-to" })) as string[];
    expect(shapesOf(doc).get(id!.slice(6))).toMatchObject({ kind: "arrow", from: "n", to: "f" });
    expect(edgesOf(doc).size).toBe(0);
  });

  it("a box tool: the dragged box, at least 16 px a side; a click: the default size", async () => {
    const { doc, store } = board();
    const [big] = (await make("r", store, { gesture: "box", box: { x: 10, y: 20, width: 300, height: 150 }, dragged: true })) as string[];
    const [thin] = (await make("o", store, { gesture: "box", box: { x: 10, y: 20, width: 300, height: 3 }, dragged: true })) as string[];
    expect(shapesOf(doc).get(big!.slice(6))).toMatchObject({ kind: "rectangle", x: 10, y: 20, width: 300, height: 150 });
    expect(shapesOf(doc).get(thin!.slice(6))).toMatchObject({ kind: "ellipse", height: 16 });
  });

  it("the pen keeps a pen's pressure at each kept point, thinned alongside; a mouse's stroke keeps none", async () => {
    const { doc, store } = board();
    const points = Array.from({ length: 3000 }, (_, i) => ({ x: i, y: 100 + (i % 7) }));
    const pressure = points.map((_, i) => (i < 1500 ? 0.2 : 0.9));
    const [id] = (await make("p", store, { gesture: "stroke", points, pressure })) as string[];
    const shape = shapesOf(doc).get(id!.slice(6))!;
    expect(shape.pressure).toHaveLength(shape.points!.length / 2);
    expect(shape.pressure![0]).toBe(20);
    expect(shape.pressure!.at(-1)).toBe(90);
    const [mouse] = (await make("p", store, { gesture: "stroke", points: points.slice(0, 50) })) as string[];
    expect(shapesOf(doc).get(mouse!.slice(6))).not.toHaveProperty("pressure");
    // Pressed hard, the outline is wider than pressed lightly.
    const line: [number, number][] = Array.from({ length: 20 }, (_, i) => [i * 10, 50]);
    const thick = (d: string) => {
      const ys = [...d.matchAll(/-?[\d.]+,(-?[\d.]+)/g)].map((m) => Number(m[1]));
      return Math.max(...ys) - Math.min(...ys);
    };
    expect(thick(strokePath(line, 4, line.map(() => 100)))).toBeGreaterThan(thick(strokePath(line, 4, line.map(() => 10))) * 1.5);
  });

  it("the pen: a draw shape the gateway takes, however long the stroke; a tap is a dot", async () => {
    const { doc, store, connection } = board();
    const points = Array.from({ length: 4000 }, (_, i) => ({ x: i / 4, y: 100 + Math.cos(i / 100) * 80 }));
    const [id] = (await make("p", store, { gesture: "stroke", points })) as string[];
    const shape = shapesOf(doc).get(id!.slice(6))!;
    expect(shape.kind).toBe("draw");
    expect(shape.points).toHaveLength(MAX_STROKE_POINTS * 2);
    const [dot] = (await make("p", store, { gesture: "stroke", points: [{ x: 5, y: 5 }] })) as string[];
    expect(shapesOf(doc).get(dot!.slice(6))?.points).toHaveLength(4);
    expect(connection.sent.every((e) => e.type === "whiteboard:create-shape")).toBe(true);
  });
});

describe("a drawing", () => {
  it("keeps its points through copy and paste, and through undo of its delete", async () => {
    const { doc, event, store } = board();
    event({ type: "whiteboard:create-shape", id: "s", viewId: "main", kind: "draw", x: 0, y: 0, width: 100, height: 50, points: [0, 0, 500, 1000, 1000, 0] });
    store.setSelection(new Set([shapeFlowId("s")]));
    const clip = copySelection(store)!;
    const paste = pasteCommand(store, "main", clip, { x: 300, y: 300 });
    await store.run(paste);
    expect(shapesOf(doc).get(paste.ids[0]!.slice(6))).toMatchObject({ kind: "draw", x: 300, y: 300, points: [0, 0, 500, 1000, 1000, 0] });
    await store.run(deleteCommand(store, "main", [shapeFlowId("s")]));
    expect(shapesOf(doc).has("s")).toBe(false);
    await store.undo();
    expect(shapesOf(doc).get("s")?.points).toEqual([0, 0, 500, 1000, 1000, 0]);
  });
});

describe("the tool keys", () => {
  function keys() {
    const { store, connection } = board();
    const Keys = () => (useShortcuts(useBoardActions(), store), null);
    render(
      <BoardContext.Provider value={store}>
        <ReactFlowProvider>
          <Keys />
        </ReactFlowProvider>
      </BoardContext.Provider>,
    );
    const press = (key: string) => act(() => void fireEvent.keyDown(window, { key }));
    return { store, connection, press };
  }

  it("R, O, A, T and P arm their tool; V and Escape go back to select; N still makes a note", async () => {
    const { store, connection, press } = keys();
    for (const key of ["r", "o", "a", "t", "p"]) {
      press(key);
      expect(armedTool(store)?.key).toBe(key);
    }
    press("v");
    expect(armedTool(store)).toBeNull();
    press("R");
    expect(armedTool(store)?.key).toBe("r");
    press("Escape");
    expect(armedTool(store)).toBeNull();
    expect(connection.sent).toEqual([]);
    press("n");
    await act(async () => {});
    expect(connection.sent.map((e) => e.type)).toEqual(["notes:create"]);
    expect(armedTool(store)).toBeNull();
  });
});
