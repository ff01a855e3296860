/**
 * Issue #18's bring to front / send to back for nodes and shapes (`whiteboard:arrange`) and its
 * undo (`whiteboard:restack`): what is named goes above (or below) everything on the view, in
 * its order; refusals say why and change nothing.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { modules } from "../src/modules/registry";
import { placementKey, placementsOf, shapesOf, viewsOf } from "../src/modules/whiteboard/placements";
import { member, ok, refusal, run } from "./pipeline-helpers";

function board() {
  const doc = new Y.Doc();
  for (const m of modules) m.seed?.(doc, 0);
  ok(run(doc, "notes:create", { id: "n", viewId: "main", x: 0, y: 0 }));
  for (const id of ["a", "b"]) ok(run(doc, "whiteboard:create-shape", { id, viewId: "main", kind: "rectangle", x: 0, y: 0, width: 50, height: 50 }));
  return doc;
}
const zOf = (doc: Y.Doc, id: string) => shapesOf(doc).get(id)?.z ?? placementsOf(doc).get(placementKey("main", id))!.z;

describe("stacking nodes and shapes", () => {
  it("brings shapes and nodes to the front or the back, in the order named, and restack puts them back", () => {
    const doc = board();
    const before = { n: zOf(doc, "n"), a: zOf(doc, "a"), b: zOf(doc, "b") };
    ok(run(doc, "whiteboard:arrange", { viewId: "main", shapeIds: ["a"], to: "front" }));
    expect(zOf(doc, "a")).toBeGreaterThan(Math.max(zOf(doc, "b"), zOf(doc, "n")));
    ok(run(doc, "whiteboard:arrange", { viewId: "main", nodeIds: ["n"], shapeIds: ["b"], to: "back" }));
    expect(zOf(doc, "n")).toBeLessThan(zOf(doc, "b"));
    expect(zOf(doc, "b")).toBeLessThan(zOf(doc, "a"));
    ok(run(doc, "whiteboard:restack", { viewId: "main", nodes: [{ id: "n", z: before.n }], shapes: [{ id: "a", z: before.a }, { id: "b", z: before.b }] }));
    expect({ n: zOf(doc, "n"), a: zOf(doc, "a"), b: zOf(doc, "b") }).toEqual(before);
  });

  it("refuses nothing named, a shape of another view or none, and a viewer, changing nothing", () => {
    const doc = board();
    ok(run(doc, "whiteboard:create-view", { name: "Other" }));
    const snapshot = Y.encodeStateAsUpdate(doc);
    expect(refusal(run(doc, "whiteboard:arrange", { viewId: "main", to: "front" }))).toMatchObject({ code: "invalid_payload", message: /Name the nodes or shapes/ });
    expect(refusal(run(doc, "whiteboard:arrange", { viewId: "main", shapeIds: ["ghost"], to: "front" }))).toMatchObject({ code: "not_found" });
    const other = [...viewsOf(doc).keys()].find((id) => id !== "main")!;
    expect(refusal(run(doc, "whiteboard:arrange", { viewId: other, shapeIds: ["a"], to: "front" }))).toMatchObject({ code: "not_found", message: /no shape a on view/ });
    expect(refusal(run(doc, "whiteboard:restack", { viewId: "main", shapes: [{ id: "a", z: Number.POSITIVE_INFINITY }] }))).toMatchObject({ code: "invalid_payload" });
    expect(refusal(run(doc, "whiteboard:arrange", { viewId: "main", shapeIds: ["a"], to: "front" }, { ...member, grants: [] }))).toMatchObject({ code: "forbidden" });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(snapshot);
  });
});
