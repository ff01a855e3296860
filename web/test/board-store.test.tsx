import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { chatsOf } from "../../gateway-do/src/modules/chats";
import { edgesOf, nodesOf } from "../../gateway-do/src/modules/core-graph";
import { bodiesOf } from "../../gateway-do/src/modules/notes";
import { placementKey, placementsOf, shapesOf, viewsOf } from "../../gateway-do/src/modules/whiteboard/placements";
import { connectCommand, deleteCommand, groupCommand, moveCommand } from "../src/board/commands";
import { buildFlow } from "../src/board/flow-model";
import { BoardStore } from "../src/board/store";
import { BoardContext, useBoard } from "../src/board/store-context";
import type { Ack } from "../src/gateway/messages";
import { fakeConnection, gatewayConnection, projectDoc } from "./board-fixtures";

afterEach(cleanup);

const me = { userId: "ada", name: "Ada", color: "#e11d48" };

function NodeList() {
  const nodes = useBoard((s) => s.nodes);
  const edges = useBoard((s) => s.edges);
  return (
    <ul>
      {nodes.map((n) => (
        <li key={n.id} data-testid="node">
          {n.type} {n.position.x},{n.position.y} {n.width}x{n.height}
          {n.parentId ? ` in ${n.parentId}` : ""}
        </li>
      ))}
      {edges.map((e) => (
        <li key={e.id} data-testid="edge">
          {e.source}→{e.target} {e.data?.kind}
        </li>
      ))}
    </ul>
  );
}

describe("the board store", () => {
  it("maps a project doc to xyflow nodes and edges, and follows its changes", async () => {
    const { doc, event } = projectDoc();
    event({ type: "notes:create", viewId: "main", x: 10, y: 20, text: "hello" });
    event({ type: "notes:create", viewId: "main", x: 400, y: 20 });
    event({ type: "whiteboard:create-shape", viewId: "main", kind: "ellipse", x: 0, y: 300, width: 100, height: 50 });
    const [a, b] = [...doc.getMap("core-graph/nodes").keys()];
    event({ type: "core-graph:connect", from: a!, to: b!, kind: "depends-on" });
    const store = new BoardStore(fakeConnection(doc, async (e) => ({ requestId: "x", ok: true }) as Ack), me);
    render(
      <BoardContext.Provider value={store}>
        <NodeList />
      </BoardContext.Provider>,
    );
    expect(screen.getAllByTestId("node").map((n) => n.textContent)).toEqual(["note 10,20 240x160", "note 400,20 240x160", "ellipse 0,300 100x50"]);
    expect(screen.getByTestId("edge").textContent).toBe(`${a}→${b} depends-on`);

    // A change from the gateway shows at once; grouping puts children inside the group, relative to it.
    act(() => event({ type: "whiteboard:group", viewId: "main", nodeIds: [a!, b!] }));
    const texts = screen.getAllByTestId("node").map((n) => n.textContent);
    expect(texts[0]).toMatch(/^group -14,-4 /);
    const group = [...doc.getMap<{ kind: string }>("core-graph/nodes").entries()].find(([, n]) => n.kind === "group")![0];
    expect(texts).toContain(`note 24,24 240x160 in ${group}`);
    store.destroy();
  });

  it("reuses unchanged node objects, so xyflow re-renders only what changed", () => {
    const { doc, event } = projectDoc();
    event({ type: "notes:create", viewId: "main", x: 0, y: 0 });
    event({ type: "notes:create", viewId: "main", x: 300, y: 0 });
    const first = buildFlow(doc, "main");
    const [a, b] = first.nodes;
    event({ type: "whiteboard:move", viewId: "main", moves: [{ nodeId: a!.id, x: 50, y: 50 }] });
    const second = buildFlow(doc, "main", undefined, undefined, first.cache);
    expect(second.nodes[0]).not.toBe(a);
    expect(second.nodes[0]!.position).toEqual({ x: 50, y: 50 });
    expect(second.nodes[1]).toBe(b);
  });

  it("shows a move at once and rolls it back, with the reason, when the gateway refuses it", async () => {
    const { doc, event } = projectDoc();
    event({ type: "notes:create", viewId: "main", x: 10, y: 20 });
    let refuse!: (ack: Ack) => void;
    const connection = fakeConnection(doc, () => new Promise<Ack>((resolve) => (refuse = resolve)));
    const store = new BoardStore(connection, me);
    const id = store.getSnapshot().nodes[0]!.id;

    const done = store.run(moveCommand(store, "main", [{ id, x: 200, y: 220, from: { x: 10, y: 20 } }]));
    expect(store.getSnapshot().nodes[0]!.position).toEqual({ x: 200, y: 220 });
    expect(connection.sent).toEqual([{ type: "whiteboard:move", viewId: "main", moves: [{ nodeId: id, x: 200, y: 220 }] }]);

    refuse({ requestId: "r", ok: false, error: { code: "locked", message: `Node ${id} is locked: unlock it first.` } });
    expect(await done).toBe(false);
    expect(store.getSnapshot().nodes[0]!.position).toEqual({ x: 10, y: 20 });
    expect(store.getSnapshot().toasts.map((t) => t.message)).toEqual([`Node ${id} is locked: unlock it first.`]);
    expect(store.getSnapshot().canUndo).toBe(false);
    store.destroy();
  });

  it("undoes an accepted move with the inverse move, and redoes it", async () => {
    const { doc, event } = projectDoc();
    event({ type: "notes:create", viewId: "main", x: 10, y: 20 });
    // This connection runs events through the real pipeline, as the gateway would.
    const connection = fakeConnection(doc, async (e) => {
      event(e);
      return { requestId: "r", ok: true };
    });
    const store = new BoardStore(connection, me);
    const id = store.getSnapshot().nodes[0]!.id;
    await store.run(moveCommand(store, "main", [{ id, x: 200, y: 220, from: { x: 10, y: 20 } }]));
    expect(store.getSnapshot().nodes[0]!.position).toEqual({ x: 200, y: 220 });
    await store.undo();
    expect(store.getSnapshot().nodes[0]!.position).toEqual({ x: 10, y: 20 });
    await store.redo();
    expect(store.getSnapshot().nodes[0]!.position).toEqual({ x: 200, y: 220 });
    store.destroy();
  });

  it("undoes the command still waiting for its ack, not the one before it", async () => {
    const { doc, event } = projectDoc();
    event({ type: "notes:create", viewId: "main", x: 10, y: 20 });
    // The second move's ack is held until the test lets it go; every other event is answered at once.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let moves = 0;
    const connection = fakeConnection(doc, async (e) => {
      if (e.type === "whiteboard:move" && ++moves === 2) await held;
      event(e);
      return { requestId: "r", ok: true };
    });
    const store = new BoardStore(connection, me);
    const id = store.getSnapshot().nodes[0]!.id;
    await store.run(moveCommand(store, "main", [{ id, x: 100, y: 100, from: { x: 10, y: 20 } }]));
    const second = store.run(moveCommand(store, "main", [{ id, x: 300, y: 300, from: { x: 100, y: 100 } }]));
    expect(store.getSnapshot().canUndo).toBe(true);
    // Ctrl+Z before the second move is acknowledged.
    const undone = store.undo();
    release();
    expect(await second).toBe(true);
    await undone;
    expect(store.getSnapshot().nodes[0]!.position).toEqual({ x: 100, y: 100 });
    expect(connection.sent.filter((e) => e.type === "whiteboard:move").map((e) => (e.moves as unknown[])[0])).toEqual([
      { nodeId: id, x: 100, y: 100 },
      { nodeId: id, x: 300, y: 300 },
      { nodeId: id, x: 100, y: 100 },
    ]);
    // The first move is still there to undo.
    await store.undo();
    expect(store.getSnapshot().nodes[0]!.position).toEqual({ x: 10, y: 20 });
    store.destroy();
  });

  it("brings deleted notes, shapes, groups, edges and chat anchors back under the same ids on undo", async () => {
    const { doc, event } = projectDoc();
    const connection = gatewayConnection(doc, event);
    const store = new BoardStore(connection, me);
    event({ type: "notes:create", id: "a", viewId: "main", x: 10, y: 20, text: "# Alpha" });
    event({ type: "notes:create", id: "b", viewId: "main", x: 400, y: 20, text: "Beta" });
    event({ type: "notes:create", id: "c", viewId: "main", x: 400, y: 400 });
    event({ type: "whiteboard:create-shape", id: "s", viewId: "main", kind: "text", x: 0, y: 300, width: 100, height: 40, text: "Label" });
    event({ type: "chats:create", title: "About a", anchorNodeId: "a" });
    // "a" is on a second view too: a delete takes it off both, undo puts it back on both.
    event({ type: "whiteboard:create-view", name: "Plan" });
    const plan = [...viewsOf(doc).values()].find((v) => v.name === "Plan")!.id;
    event({ type: "whiteboard:place", viewId: plan, nodeId: "a", x: 70, y: 80 });
    await store.run(connectCommand(store, "a", "b", "depends-on", "e1"));
    await store.run(connectCommand(store, "c", "a", "references", "e2"));
    const group = groupCommand(store, "main", ["b", "c"]);
    await store.run(group);
    const chatId = [...chatsOf(doc).keys()][0]!;
    bodiesOf(doc).get("a")!.insert(7, " — typed later");

    expect(await store.run(deleteCommand(store, "main", ["a", group.groupId, "shape:s"]))).toBe(true);
    expect([...nodesOf(doc).keys()].sort()).toEqual(["b", "c"]);
    expect(edgesOf(doc).size).toBe(0);
    expect(shapesOf(doc).size).toBe(0);
    expect(chatsOf(doc).get(chatId)!.anchorNodeId).toBeNull();

    await store.undo();
    expect([...nodesOf(doc).keys()].sort()).toEqual(["a", "b", "c", group.groupId].sort());
    expect(bodiesOf(doc).get("a")!.toString()).toBe("# Alpha — typed later");
    expect(placementsOf(doc).get(placementKey("main", "a"))).toMatchObject({ x: 10, y: 20 });
    expect(placementsOf(doc).get(placementKey(plan, "a"))).toMatchObject({ x: 70, y: 80 });
    expect(placementsOf(doc).get(placementKey("main", "b"))!.parent).toBe(group.groupId);
    expect([...edgesOf(doc).values()].map((e) => `${e.id} ${e.from}→${e.to} ${e.kind}`).sort()).toEqual(["e1 a→b depends-on", "e2 c→a references"]);
    expect(shapesOf(doc).get("s")).toMatchObject({ text: "Label", x: 0, y: 300 });
    expect(chatsOf(doc).get(chatId)!.anchorNodeId).toBe("a");
    expect(store.getSnapshot().edges.map((e) => e.id).sort()).toEqual(["e1", "e2"]);

    // Redo deletes them again, and a second undo brings them back once more.
    await store.redo();
    expect(nodesOf(doc).has("a")).toBe(false);
    await store.undo();
    expect(nodesOf(doc).has("a") && edgesOf(doc).has("e1") && shapesOf(doc).has("s")).toBe(true);
    expect(store.getSnapshot().toasts).toEqual([]);
    store.destroy();
  });
});
