/**
 * Issue #18's style panel, edge labels and group names through the pipeline: `whiteboard:set-style`
 * (per view and item; null puts a property back), `core-graph:update-edge` (label and kind),
 * `whiteboard:rename-group`; refusals say why and change nothing.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { EventOutcome } from "../src/events/pipeline";
import { edgesOf, nodesOf } from "../src/modules/core-graph";
import type { Actor } from "../src/modules/kit";
import { modules } from "../src/modules/registry";
import { groupNamesOf, shapesOf, viewsOf } from "../src/modules/whiteboard/placements";
import { stylesOf } from "../src/modules/whiteboard/styles";
import { member, ok, refusal, run } from "./pipeline-helpers";

const viewer: Actor = { userId: "viewer", grants: ["*:read"] };

/** A project with two notes joined by an edge and a rectangle, on the main view. */
function board() {
  const doc = new Y.Doc();
  for (const m of modules) m.seed?.(doc, 0);
  ok(run(doc, "notes:create", { id: "a", viewId: "main", x: 0, y: 0 }));
  ok(run(doc, "notes:create", { id: "b", viewId: "main", x: 400, y: 0 }));
  ok(run(doc, "core-graph:connect", { id: "e", from: "a", to: "b", kind: "relates-to" }));
  ok(run(doc, "whiteboard:create-shape", { id: "s", viewId: "main", kind: "rectangle", x: 0, y: 300, width: 100, height: 60 }));
  return doc;
}

describe("whiteboard:set-style", () => {
  it("styles notes, shapes and edges on a view, and null puts a property back to its default", () => {
    const doc = board();
    ok(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "node", id: "a" }, { kind: "shape", id: "s" }], style: { stroke: "#dc2626", fill: "#fee2e2", strokeWidth: 4, strokeStyle: "dashed", fontSize: 20 } }));
    ok(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "edge", id: "e" }], style: { stroke: "#2563eb", arrowheads: "both" } }));
    expect(stylesOf(doc).get("main/a")).toEqual({ stroke: "#dc2626", fill: "#fee2e2", strokeWidth: 4, strokeStyle: "dashed", fontSize: 20 });
    expect(stylesOf(doc).get("main/s")).toEqual(stylesOf(doc).get("main/a"));
    expect(stylesOf(doc).get("main/e")).toEqual({ stroke: "#2563eb", arrowheads: "both" });

    ok(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "node", id: "a" }], style: { fill: null, fontSize: 14 } }));
    expect(stylesOf(doc).get("main/a")).toEqual({ stroke: "#dc2626", strokeWidth: 4, strokeStyle: "dashed", fontSize: 14 });
    // Every property back to its default: no record left.
    ok(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "edge", id: "e" }], style: { stroke: null, arrowheads: null } }));
    expect(stylesOf(doc).has("main/e")).toBe(false);
  });

  it("refuses bad values naming the field, items not on the view, locked items and viewers, changing nothing", () => {
    const doc = board();
    const before = Y.encodeStateAsUpdate(doc);
    const bad = refusal(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "node", id: "a" }], style: { stroke: "red", strokeWidth: 0 } }));
    expect(bad).toMatchObject({ code: "invalid_payload" });
    expect(Object.keys(bad?.fields ?? {}).sort()).toEqual(["style.stroke", "style.strokeWidth"]);
    expect(refusal(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "node", id: "a" }], style: {} }))).toMatchObject({ code: "invalid_payload" });
    expect(refusal(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "node", id: "ghost" }], style: { fill: "#ffffff" } }))).toMatchObject({ code: "not_found" });
    expect(refusal(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "shape", id: "a" }], style: { fill: "#ffffff" } }))).toMatchObject({ code: "not_found" });
    expect(refusal(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "edge", id: "nope" }], style: { fill: "#ffffff" } }))).toMatchObject({ code: "not_found" });
    expect(refusal(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "node", id: "a" }], style: { fill: "#ffffff" } }, viewer))).toMatchObject({ code: "forbidden" });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);

    ok(run(doc, "whiteboard:set-locked", { viewId: "main", nodeIds: ["b"], value: true }));
    // One locked item refuses the whole change: the other is not styled either.
    const locked = refusal(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "node", id: "a" }, { kind: "node", id: "b" }], style: { fill: "#ffffff" } }));
    expect(locked).toMatchObject({ code: "locked" });
    expect(stylesOf(doc).has("main/a")).toBe(false);
  });

  it("keeps styles per view, and drops them with their item or view", () => {
    const doc = board();
    ok(run(doc, "whiteboard:create-view", { name: "Second" }));
    const second = [...viewsOf(doc).keys()].find((id) => id !== "main")!;
    ok(run(doc, "whiteboard:place", { viewId: second, nodeId: "a", x: 0, y: 0 }));
    ok(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "node", id: "a" }], style: { fill: "#dbeafe" } }));
    ok(run(doc, "whiteboard:set-style", { viewId: second, items: [{ kind: "node", id: "a" }], style: { fill: "#dcfce7" } }));
    ok(run(doc, "whiteboard:set-style", { viewId: "main", items: [{ kind: "shape", id: "s" }], style: { fill: "none" } }));
    expect(stylesOf(doc).get("main/a")).toEqual({ fill: "#dbeafe" });
    expect(stylesOf(doc).get(`${second}/a`)).toEqual({ fill: "#dcfce7" });

    ok(run(doc, "whiteboard:delete-shapes", { shapeIds: ["s"] }));
    expect(stylesOf(doc).has("main/s")).toBe(false);
    ok(run(doc, "whiteboard:delete-view", { viewId: second }));
    expect(stylesOf(doc).has(`${second}/a`)).toBe(false);
    ok(run(doc, "core-graph:delete-nodes", { nodeIds: ["a"] }));
    expect([...stylesOf(doc).keys()]).toEqual([]);
    expect(shapesOf(doc).size).toBe(0);
  });
});

describe("core-graph:update-edge", () => {
  it("labels an edge and changes its kind; an empty label shows the kind again", () => {
    const doc = board();
    ok(run(doc, "core-graph:update-edge", { edgeId: "e", label: "  calls  " }));
    expect(edgesOf(doc).get("e")).toMatchObject({ kind: "relates-to", label: "calls" });
    ok(run(doc, "core-graph:update-edge", { edgeId: "e", kind: "depends-on" }));
    expect(edgesOf(doc).get("e")).toMatchObject({ kind: "depends-on", label: "calls" });
    ok(run(doc, "core-graph:update-edge", { edgeId: "e", label: "" }));
    expect(edgesOf(doc).get("e")).not.toHaveProperty("label");
    // connect takes a label too: undo of a delete brings an edge back with it.
    ok(run(doc, "core-graph:connect", { id: "e2", from: "b", to: "a", kind: "references", label: "cites" }));
    expect(edgesOf(doc).get("e2")?.label).toBe("cites");
  });

  it("refuses an unknown edge, a kind that duplicates another edge, nothing to change and viewers", () => {
    const doc = board();
    ok(run(doc, "core-graph:connect", { id: "e2", from: "a", to: "b", kind: "references" }));
    expect(refusal(run(doc, "core-graph:update-edge", { edgeId: "ghost", label: "x" }))).toMatchObject({ code: "not_found" });
    expect(refusal(run(doc, "core-graph:update-edge", { edgeId: "e", kind: "references" }))).toMatchObject({ code: "conflict" });
    expect(refusal(run(doc, "core-graph:update-edge", { edgeId: "e" }))).toMatchObject({ code: "invalid_payload" });
    expect(refusal(run(doc, "core-graph:update-edge", { edgeId: "e", kind: "loves" }))).toMatchObject({ code: "invalid_payload" });
    expect(refusal(run(doc, "core-graph:update-edge", { edgeId: "e", label: "x" }, viewer))).toMatchObject({ code: "forbidden" });
    expect(edgesOf(doc).get("e")).toMatchObject({ kind: "relates-to" });
    expect(edgesOf(doc).get("e")).not.toHaveProperty("label");
  });
});

describe("whiteboard:rename-group", () => {
  it("names a group, refuses what is not a group or a blank name, and forgets the name with the group", () => {
    const doc = board();
    ok(run(doc, "whiteboard:group", { viewId: "main", nodeIds: ["a", "b"], groupId: "g" }));
    ok(run(doc, "whiteboard:rename-group", { groupId: "g", name: " Backend " }));
    expect(groupNamesOf(doc).get("g")).toBe("Backend");
    expect(refusal(run(doc, "whiteboard:rename-group", { groupId: "a", name: "Nope" }))).toMatchObject({ code: "invalid_group" });
    expect(refusal(run(doc, "whiteboard:rename-group", { groupId: "g", name: "   " }))).toMatchObject({ code: "invalid_payload" });
    expect(refusal(run(doc, "whiteboard:rename-group", { groupId: "g", name: "x" }, viewer))).toMatchObject({ code: "forbidden" });
    ok(run(doc, "whiteboard:ungroup", { viewId: "main", groupId: "g" }));
    expect(groupNamesOf(doc).has("g")).toBe(false);
    expect(nodesOf(doc).has("g")).toBe(false);
  });
});
