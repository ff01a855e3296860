/** Bring to front / send to back on the web: nodes and shapes together, in their order, one undo step putting each back. */
import { describe, expect, it } from "vitest";
import { placementKey, placementsOf, shapesOf } from "../../gateway-do/src/modules/whiteboard/placements";
import { arrangeCommand } from "../src/board/commands";
import { buildFlow } from "../src/board/flow-model";
import { PALETTE } from "../src/board/presence";
import { BoardStore } from "../src/board/store";
import { gatewayConnection, projectDoc } from "./board-fixtures";

describe("stacking from the board", () => {
  it("brings a note and a shape to the front above the rest, keeps their order, and undo puts both back", async () => {
    const { doc, event } = projectDoc();
    const store = new BoardStore(gatewayConnection(doc, event), { userId: "ada", name: "Ada", color: PALETTE[0]! });
    event({ type: "notes:create", id: "n", viewId: "main", x: 0, y: 0 });
    event({ type: "whiteboard:create-shape", id: "s", viewId: "main", kind: "rectangle", x: 0, y: 0, width: 50, height: 50 });
    event({ type: "whiteboard:create-shape", id: "top", viewId: "main", kind: "ellipse", x: 0, y: 0, width: 50, height: 50 });
    const order = () => buildFlow(doc, "main").nodes.map((n) => n.id);
    const before = order();
    expect(before).toEqual(["n", "shape:s", "shape:top"]);
    expect(await store.run(arrangeCommand(store, "main", ["shape:s", "n"], "front")!)).toBe(true);
    expect(order()).toEqual(["shape:top", "n", "shape:s"]);
    await store.undo();
    expect(order()).toEqual(before);
    expect(placementsOf(doc).get(placementKey("main", "n"))?.z).toBeLessThan(shapesOf(doc).get("s")!.z);
    await store.redo();
    expect(order()).toEqual(["shape:top", "n", "shape:s"]);
  });
});
