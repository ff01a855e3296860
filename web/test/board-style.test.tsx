/**
 * Styles, edge labels and group names through the board's commands (issue #18): each change is
 * one event and one undo step; undo of a delete brings items back with their style, an edge
 * with its label, a group with its name. Run against the gateway's own reducers.
 */
import { describe, expect, it } from "vitest";
import { edgesOf } from "../../gateway-do/src/modules/core-graph";
import { groupNamesOf } from "../../gateway-do/src/modules/whiteboard/placements";
import { stylesOf } from "../../gateway-do/src/modules/whiteboard/styles";
import { connectCommand, deleteCommand, edgeCommand, groupCommand, renameGroupCommand, styleCommand, styledItems } from "../src/board/commands";
import { BoardStore } from "../src/board/store";
import { findText } from "../src/board/Search";
import { searchers } from "../src/modules/registry";
import { gatewayConnection, projectDoc } from "./board-fixtures";

const me = { userId: "ada", name: "Ada", color: "#e11d48" };

function board() {
  const { doc, event } = projectDoc();
  const connection = gatewayConnection(doc, event);
  const store = new BoardStore(connection, me);
  event({ type: "notes:create", id: "a", viewId: "main", x: 0, y: 0, text: "Alpha launch plan" });
  event({ type: "notes:create", id: "b", viewId: "main", x: 400, y: 0, text: "Beta" });
  event({ type: "whiteboard:create-shape", id: "s", viewId: "main", kind: "rectangle", x: 0, y: 300, width: 100, height: 40, text: "Launch checklist" });
  return { doc, store, connection };
}

describe("styling on the board", () => {
  it("names nodes, shapes and edges as set-style does, styles them in one event, and undo puts back each one's own", async () => {
    const { doc, store, connection } = board();
    await store.run(connectCommand(store, "a", "b", "relates-to", "e"));
    expect(styledItems(store, ["a", "shape:s", "e", "ghost"])).toEqual([{ kind: "node", id: "a" }, { kind: "shape", id: "s" }, { kind: "edge", id: "e" }]);
    await store.run(styleCommand(store, "main", [{ kind: "node", id: "a" }], { fill: "#dbeafe" }));
    const sent = connection.sent.length;
    await store.run(styleCommand(store, "main", styledItems(store, ["a", "shape:s"]), { fill: "#dcfce7", stroke: "#dc2626" }));
    expect(connection.sent.length - sent).toBe(1);
    expect(stylesOf(doc).get("main/a")).toEqual({ fill: "#dcfce7", stroke: "#dc2626" });
    await store.undo();
    expect(stylesOf(doc).get("main/a")).toEqual({ fill: "#dbeafe" });
    expect(stylesOf(doc).has("main/s")).toBe(false);
    await store.redo();
    expect(stylesOf(doc).get("main/s")).toEqual({ fill: "#dcfce7", stroke: "#dc2626" });
    expect(store.getSnapshot().toasts).toEqual([]);
    store.destroy();
  });

  it("brings a deleted edge back with its label and style, and a deleted note with its style", async () => {
    const { doc, store } = board();
    await store.run(connectCommand(store, "a", "b", "relates-to", "e"));
    await store.run(edgeCommand(store, "e", { label: "blocks" }));
    await store.run(styleCommand(store, "main", [{ kind: "edge", id: "e" }, { kind: "node", id: "a" }], { stroke: "#16a34a" }));
    await store.run(deleteCommand(store, "main", ["e"]));
    expect(edgesOf(doc).has("e")).toBe(false);
    await store.undo();
    expect(edgesOf(doc).get("e")).toMatchObject({ label: "blocks", kind: "relates-to" });
    expect(stylesOf(doc).get("main/e")).toEqual({ stroke: "#16a34a" });

    await store.run(deleteCommand(store, "main", ["a"]));
    expect(stylesOf(doc).has("main/a")).toBe(false);
    await store.undo();
    expect(stylesOf(doc).get("main/a")).toEqual({ stroke: "#16a34a" });
    expect(edgesOf(doc).get("e")?.label).toBe("blocks");
    expect(store.getSnapshot().toasts).toEqual([]);
    store.destroy();
  });

  it("renames a group (undo: the old name), and brings a deleted group back with its name", async () => {
    const { doc, store } = board();
    const group = groupCommand(store, "main", ["a", "b"], "g");
    await store.run(group);
    await store.run(renameGroupCommand(store, "g", "Launch team", "Group"));
    expect(groupNamesOf(doc).get("g")).toBe("Launch team");
    await store.run(deleteCommand(store, "main", ["g"]));
    await store.undo();
    expect(groupNamesOf(doc).get("g")).toBe("Launch team");
    expect(store.getSnapshot().toasts).toEqual([]);
    store.destroy();
  });

  it("finds the text of notes, shapes and named groups on the view, every word in any case", async () => {
    const { doc, store } = board();
    await store.run(groupCommand(store, "main", ["a", "b"], "g"));
    await store.run(renameGroupCommand(store, "g", "Launch team", "Group"));
    const hits = searchers().flatMap((s) => s(doc, "main"));
    expect(findText(hits, "LAUNCH").map((h) => `${h.kind}:${h.id}`).sort()).toEqual(["Group:g", "Note:a", "Rectangle:shape:s"]);
    expect(findText(hits, "launch plan").map((h) => h.id)).toEqual(["a"]);
    expect(findText(hits, "   ")).toEqual([]);
    expect(findText(hits, "nowhere")).toEqual([]);
    store.destroy();
  });
});

describe("deleting an edge selected twice over", () => {
  it("sends its delete once: named twice (the store's selection and xyflow's), it is not refused", async () => {
    const { doc, store, connection } = board();
    await store.run(connectCommand(store, "a", "b", "relates-to", "e"));
    const before = connection.sent.length;
    expect(await store.run(deleteCommand(store, "main", ["e", "e"]))).toBe(true);
    expect(connection.sent.slice(before)).toEqual([{ type: "core-graph:disconnect", edgeId: "e" }]);
    await store.undo();
    expect(edgesOf(doc).has("e")).toBe(true);
    expect(store.getSnapshot().toasts).toEqual([]);
    store.destroy();
  });
});
