/** One stacking order, the doc's, whatever the screen: flow-model's zIndex of nodes, shapes and edges. */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { placementKey, placementsOf } from "../../gateway-do/src/modules/whiteboard/placements";
import { buildFlow, paintOrder, shapeFlowId } from "../src/board/flow-model";
import { projectDoc } from "./board-fixtures";

/** A project with notes A and B grouped (G), a newer note C, a shape S, and an edge C→A. */
function board() {
  const { doc, event } = projectDoc();
  for (const [id, x] of [["a", 0], ["b", 300]] as const) event({ type: "notes:create", id, viewId: "main", x, y: 0 });
  event({ type: "whiteboard:group", viewId: "main", nodeIds: ["a", "b"], groupId: "g" });
  event({ type: "notes:create", id: "c", viewId: "main", x: 100, y: 100 });
  event({ type: "whiteboard:create-shape", id: "s", viewId: "main", kind: "rectangle", x: 0, y: 0, width: 50, height: 50 });
  event({ type: "core-graph:connect", id: "e", from: "c", to: "a", kind: "relates-to" });
  return { doc, event };
}

/** Item ids from bottom to top, as the screen stacks them (zIndex). */
const stack = (doc: Y.Doc, selected: string[] = []) => {
  const { nodes } = buildFlow(doc, "main", { positions: new Map(), sizes: new Map(), deleted: new Set(), selected: new Set(selected) });
  return [...nodes].sort((x, y) => x.zIndex! - y.zIndex!).map((n) => n.id);
};

describe("the board's stacking order", () => {
  it("is the doc's z: groups under their children, a newer note above both, shapes among them, whatever is selected", () => {
    const { doc } = board();
    expect(stack(doc)).toEqual(["g", "a", "b", "c", shapeFlowId("s")]);
    expect(stack(doc, ["a"])).toEqual(stack(doc));
    expect(stack(doc, ["g", "c"])).toEqual(stack(doc));
    // Every node has its own zIndex, and a group comes before its children (xyflow needs it).
    const { nodes } = buildFlow(doc, "main");
    expect(new Set(nodes.map((n) => n.zIndex)).size).toBe(nodes.length);
    expect(nodes.findIndex((n) => n.id === "g")).toBeLessThan(nodes.findIndex((n) => n.id === "a"));
  });

  it("is the same on two screens whose docs took the same changes in another order (ties broken by id)", () => {
    const { doc } = board();
    // Another screen: the same state, its maps filled in reverse order, and a tie in z.
    const tie = placementsOf(doc).get(placementKey("main", "c"))!;
    placementsOf(doc).set(placementKey("main", "c"), { ...tie, z: placementsOf(doc).get(placementKey("main", "g"))!.z });
    const other = new Y.Doc();
    for (const name of ["core-graph/nodes", "whiteboard/placements", "whiteboard/shapes", "core-graph/edges"]) {
      const from = doc.getMap(name);
      const to = other.getMap(name);
      for (const key of [...from.keys()].reverse()) to.set(key, structuredClone(from.get(key)));
    }
    expect(stack(other)).toEqual(stack(doc));
  });

  it("draws an edge just above the higher of its ends: over the fill of a group it enters", () => {
    const { doc } = board();
    const { nodes, edges } = buildFlow(doc, "main");
    const z = (id: string) => nodes.find((n) => n.id === id)!.zIndex!;
    const edge = edges.find((e) => e.id === "e")!;
    expect(edge.zIndex).toBe(Math.max(z("c"), z("a")) + 1);
    expect(edge.zIndex).toBeGreaterThan(z("g"));
    expect(edge.zIndex).toBeLessThan(z(shapeFlowId("s")));
  });

  it("orders by the tree: a cycle of parents in a forged doc still draws every node", () => {
    expect(paintOrder([{ id: "x", z: 1, parent: "y" }, { id: "y", z: 0, parent: "x" }, { id: "n", z: 5, parent: null }])).toEqual(["n", "x", "y"]);
  });
});
