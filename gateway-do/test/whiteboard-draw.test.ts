/**
 * Issue #18's pen and drawn arrows through the pipeline: `whiteboard:create-shape` with points
 * (a `draw` stroke, an arrow's two ends), stored as sent; strokes too long, points off the grid,
 * odd counts and points on shapes that have none are refused with a clear message, changing nothing.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { EventOutcome } from "../src/events/pipeline";
import type { Actor } from "../src/modules/kit";
import { modules } from "../src/modules/registry";
import { shapesOf } from "../src/modules/whiteboard/placements";
import { MAX_STROKE_POINTS, POINT_GRID } from "../src/modules/whiteboard/schema";
import { member, ok, refusal, run } from "./pipeline-helpers";

function board() {
  const doc = new Y.Doc();
  for (const m of modules) m.seed?.(doc, 0);
  return doc;
}
const stroke = (points: number[], kind = "draw") => ({ id: "s", viewId: "main", kind, x: 10, y: 20, width: 300, height: 120, points });

describe("drawn shapes", () => {
  it("keeps a stroke's points as sent, and they move, resize and delete with the shape", () => {
    const doc = board();
    ok(run(doc, "whiteboard:create-shape", stroke([0, 0, 500, 1000, POINT_GRID, 250])));
    expect(shapesOf(doc).get("s")).toMatchObject({ kind: "draw", x: 10, y: 20, width: 300, height: 120, points: [0, 0, 500, 1000, 1000, 250] });
    ok(run(doc, "whiteboard:update-shape", { shapeId: "s", x: 50, width: 600, height: 240 }));
    expect(shapesOf(doc).get("s")).toMatchObject({ x: 50, width: 600, height: 240, points: [0, 0, 500, 1000, 1000, 250] });
    ok(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "shape", id: "s" }], style: { stroke: "#dc2626", strokeWidth: 6 } }));
    ok(run(doc, "whiteboard:delete-shapes", { shapeIds: ["s"] }));
    expect(shapesOf(doc).has("s")).toBe(false);
  });

  it("keeps a pen's pressure, one per point", () => {
    const doc = board();
    ok(run(doc, "whiteboard:create-shape", { ...stroke([0, 0, 500, 1000, 1000, 250]), pressure: [10, 80, 35] }));
    expect(shapesOf(doc).get("s")?.pressure).toEqual([10, 80, 35]);
  });

  it("keeps a drawn arrow's two ends; an arrow without points is still one", () => {
    const doc = board();
    ok(run(doc, "whiteboard:create-shape", stroke([1000, 0, 0, 1000], "arrow")));
    expect(shapesOf(doc).get("s")?.points).toEqual([1000, 0, 0, 1000]);
    ok(run(doc, "whiteboard:create-shape", { id: "plain", viewId: "main", kind: "arrow", x: 0, y: 0, width: 200, height: 40 }));
    expect(shapesOf(doc).get("plain")?.points).toBeUndefined();
  });

  it("takes the longest stroke allowed", () => {
    const doc = board();
    const points = Array.from({ length: MAX_STROKE_POINTS * 2 }, (_, i) => i % (POINT_GRID + 1));
    ok(run(doc, "whiteboard:create-shape", stroke(points)));
    expect(shapesOf(doc).get("s")?.points).toHaveLength(MAX_STROKE_POINTS * 2);
  });

  it("refuses too many points, bad numbers, odd counts and misplaced points, saying why and changing nothing", () => {
    const doc = board();
    const before = Y.encodeStateAsUpdate(doc);
    const cases: [unknown, string, RegExp][] = [
      [stroke(Array.from({ length: MAX_STROKE_POINTS * 2 + 2 }, () => 5)), "points", /at most 2000 points/],
      [stroke([0, 0, 10.5, 20]), "points", /whole number from 0 to 1000/],
      [stroke([0, 0, -1, 20]), "points", /whole number from 0 to 1000/],
      [stroke([0, 0, 1001, 20]), "points", /whole number from 0 to 1000/],
      [stroke([0, 0, 10]), "points", /x, y pairs/],
      [{ ...stroke([]), points: [0, "1", 10, 10] }, "points.1", /number/],
      [stroke([0, 0]), "points", /at least 2 points/],
      [{ ...stroke([]), points: undefined }, "points", /at least 2 points/],
      [stroke([0, 0, 10, 10, 20, 20], "arrow"), "points", /2 ends/],
      [stroke([0, 0, 10, 10], "rectangle"), "points", /A rectangle has no points/],
      [{ ...stroke([0, 0, 1000, 1000]), width: Number.NaN }, "width", /./],
      [{ ...stroke([0, 0, 1000, 1000]), pressure: [50] }, "pressure", /one pressure per point/],
      [{ ...stroke([0, 0, 1000, 1000]), pressure: [50, 101] }, "pressure.1", /whole number from 0 to 100/],
      [{ ...stroke([0, 0, 1000, 1000]), pressure: [50, 0.5] }, "pressure.1", /whole number from 0 to 100/],
      [{ ...stroke([0, 0, 1000, 1000], "arrow"), pressure: [50, 50] }, "pressure", /other shapes none/],
    ];
    for (const [payload, field, message] of cases) {
      const error = refusal(run(doc, "whiteboard:create-shape", payload as Record<string, unknown>));
      expect(error, JSON.stringify(payload).slice(0, 80)).toMatchObject({ code: "invalid_payload" });
      expect(error?.fields?.[field]?.join(" "), field).toMatch(message);
    }
    // A forged stroke of a million points is one refusal, not a message per point.
    const huge = refusal(run(doc, "whiteboard:create-shape", stroke(Array.from({ length: 1_000_000 }, () => 1e9))));
    expect(Object.keys(huge?.fields ?? {})).toEqual(["points"]);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });
});
