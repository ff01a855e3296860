/** The tab bar bound to the `tabs` module: events through the gateway's own pipeline on a project doc. */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { runEvent } from "../../gateway-do/src/events/pipeline";
import { activeTabsOf, tabsFor, tabsOf } from "../../gateway-do/src/modules/tabs";
import { viewsOf } from "../../gateway-do/src/modules/whiteboard/placements";
import { BoardStore } from "../src/board/store";
import { BoardContext, useBoard } from "../src/board/store-context";
import { TabBar } from "../src/board/TabBar";
import { moveId, neighbourOf } from "../src/board/tab-model";
import type { Ack, GatewayEvent } from "../src/gateway/messages";
import { fakeConnection, projectDoc } from "./board-fixtures";

afterEach(cleanup);

const me = { userId: "ada", name: "Ada", color: "#e11d48" };
let seq = 0;

/** A store whose events run on `doc` as Ada (every permission unless `grants` says otherwise). */
function storeFor(doc: Y.Doc, grants: string[] = ["*:*"]) {
  const connection = fakeConnection(doc, async (event: GatewayEvent): Promise<Ack> => {
    const requestId = `t${++seq}`;
    const outcome = runEvent(doc, { ...event, requestId }, { userId: me.userId, grants }, { newId: () => `id${++seq}` });
    return outcome.ok ? { requestId, ok: true } : { requestId, ok: false, error: outcome.error };
  });
  return { store: new BoardStore(connection, me), sent: connection.sent };
}

function ShownView() {
  const viewId = useBoard((s) => s.viewId);
  return <output data-testid="view">{viewId}</output>;
}

function renderBar(store: BoardStore) {
  return render(
    <BoardContext.Provider value={store}>
      <TabBar />
      <ShownView />
    </BoardContext.Provider>,
  );
}

const tabNames = () => screen.getAllByRole("tab").map((t) => t.textContent);
const selected = () => screen.getAllByRole("tab").find((t) => t.getAttribute("aria-selected") === "true")?.textContent;
const orderedTitles = (doc: Y.Doc) => tabsFor(doc, "ada").map((t) => t.title);
/** Ada's own tab showing `viewId`. */
const adasTab = (doc: Y.Doc, viewId: string) => tabsFor(doc, "ada").find((t) => t.target === viewId)!.id;

describe("the tab bar", () => {
  it("opens a new view as a tab and makes it this person's active tab", async () => {
    const { doc } = projectDoc();
    const { store, sent } = storeFor(doc);
    renderBar(store);
    expect(tabNames()).toEqual(["Board"]);
    expect(selected()).toBe("Board");
    fireEvent.click(screen.getByRole("button", { name: "New view" }));
    await waitFor(() => expect(tabNames()).toEqual(["Board", "View 2"]));
    expect(selected()).toBe("View 2");
    const view2 = [...viewsOf(doc).values()].find((v) => v.name === "View 2")!;
    expect(screen.getByTestId("view").textContent).toBe(view2.id);
    expect(activeTabsOf(doc).get("ada")).toBe([...tabsOf(doc).values()].find((t) => t.target === view2.id)!.id);
    expect(sent.map((e) => e.type)).toEqual(["whiteboard:create-view", "tabs:open"]);
  });

  it("switches tabs, and reopens on the active tab kept in the doc", async () => {
    const { doc, event } = projectDoc();
    event({ type: "whiteboard:create-view", name: "Plan" });
    const plan = [...viewsOf(doc).values()].find((v) => v.name === "Plan")!;
    event({ type: "tabs:open", kind: "view", target: plan.id, title: "Plan" }, "someone-else");
    event({ type: "tabs:open", kind: "view", target: plan.id, title: "Plan" });
    event({ type: "tabs:activate", tabId: adasTab(doc, "main") });
    const first = storeFor(doc);
    const { unmount } = renderBar(first.store);
    // Someone else's active tab is theirs: Ada's shows where she was.
    expect(selected()).toBe("Board");
    fireEvent.click(screen.getByRole("tab", { name: "Plan" }));
    expect(selected()).toBe("Plan");
    expect(screen.getByTestId("view").textContent).toBe(plan.id);
    await waitFor(() => expect(activeTabsOf(doc).get("ada")).toBeDefined());
    expect(tabsOf(doc).get(activeTabsOf(doc).get("ada")!)!.target).toBe(plan.id);
    unmount();
    first.store.destroy();

    const again = storeFor(doc);
    renderBar(again.store);
    expect(selected()).toBe("Plan");
    expect(screen.getByTestId("view").textContent).toBe(plan.id);
  });

  it("renames a tab's view (double-click or F2) with one event, and Escape keeps the name", async () => {
    const { doc } = projectDoc();
    const { store, sent } = storeFor(doc);
    renderBar(store);
    fireEvent.doubleClick(screen.getByRole("tab", { name: "Board" }));
    const input = screen.getByLabelText("New name for Board");
    fireEvent.change(input, { target: { value: "Overview" } });
    fireEvent.keyDown(input, { key: "Enter" });
    fireEvent.blur(input);
    await waitFor(() => expect(tabNames()).toEqual(["Overview"]));
    expect(viewsOf(doc).get("main")!.name).toBe("Overview");
    expect(sent.map((e) => e.type)).toEqual(["whiteboard:rename-view"]);

    fireEvent.keyDown(screen.getByRole("tab", { name: "Overview" }), { key: "F2" });
    const again = screen.getByLabelText("New name for Overview");
    fireEvent.change(again, { target: { value: "Nope" } });
    fireEvent.keyDown(again, { key: "Escape" });
    expect(tabNames()).toEqual(["Overview"]);
  });

  it("shows a view's new name when someone else renames it (from another client or the API)", async () => {
    const { doc, event } = projectDoc();
    const { store } = storeFor(doc);
    renderBar(store);
    act(() => event({ type: "whiteboard:rename-view", viewId: "main", name: "Roadmap" }, "someone-else"));
    await waitFor(() => expect(tabNames()).toEqual(["Roadmap"]));
  });

  it("reorders with Ctrl+Shift+arrows and by dragging, and moves focus with the arrows", async () => {
    const { doc, event } = projectDoc();
    for (const name of ["Two", "Three"]) {
      event({ type: "whiteboard:create-view", name });
      const view = [...viewsOf(doc).values()].find((v) => v.name === name)!;
      event({ type: "tabs:open", kind: "view", target: view.id, title: name });
    }
    const { store } = storeFor(doc);
    renderBar(store);
    expect(tabNames()).toEqual(["Board", "Two", "Three"]);
    const three = screen.getByRole("tab", { name: "Three" });
    fireEvent.keyDown(three, { key: "ArrowLeft", ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(tabNames()).toEqual(["Board", "Three", "Two"]));
    expect(orderedTitles(doc)).toEqual(["Board", "Three", "Two"]);

    // Plain arrows move the focus between tabs (roving tabindex), wrapping around.
    const board = screen.getByRole("tab", { name: "Board" });
    board.focus();
    fireEvent.keyDown(board, { key: "ArrowLeft" });
    expect(document.activeElement?.textContent).toBe("Two");
    expect(screen.getAllByRole("tab").filter((t) => t.tabIndex === 0).map((t) => t.textContent)).toEqual([selected()]);

    const tabOf = (name: string) => screen.getByRole("tab", { name }).parentElement!;
    fireEvent.dragStart(tabOf("Board"), { dataTransfer: { setData() {}, effectAllowed: "" } });
    fireEvent.dragOver(tabOf("Two"));
    fireEvent.drop(tabOf("Two"));
    await waitFor(() => expect(tabNames()).toEqual(["Three", "Two", "Board"]));
  });

  it("closes a tab, shows the next one, and opens the closed view again from the views menu", async () => {
    const { doc, event } = projectDoc();
    event({ type: "whiteboard:create-view", name: "Plan" });
    const plan = [...viewsOf(doc).values()].find((v) => v.name === "Plan")!;
    event({ type: "tabs:open", kind: "view", target: plan.id, title: "Plan" });
    const { store } = storeFor(doc);
    renderBar(store);
    expect(selected()).toBe("Plan");
    fireEvent.keyDown(screen.getByRole("tab", { name: "Plan" }), { key: "Delete" });
    await waitFor(() => expect(tabNames()).toEqual(["Board"]));
    expect(selected()).toBe("Board");
    expect(screen.getByTestId("view").textContent).toBe("main");
    // The view is closed, not deleted.
    expect(viewsOf(doc).has(plan.id)).toBe(true);

    fireEvent.click(screen.getByRole("button", { name: "Views (1) ▾" }));
    fireEvent.click(within(screen.getByRole("list", { name: "Views to open" })).getByRole("button", { name: "Open Plan" }));
    await waitFor(() => expect(tabNames()).toEqual(["Board", "Plan"]));
    expect(selected()).toBe("Plan");

    fireEvent.click(screen.getByRole("button", { name: "Close Board" }));
    await waitFor(() => expect(tabNames()).toEqual(["Plan"]));
  });

  it("lets a read-only person switch tabs on their screen though the doc refuses to store it", async () => {
    const { doc, event } = projectDoc();
    event({ type: "whiteboard:create-view", name: "Plan" });
    const plan = [...viewsOf(doc).values()].find((v) => v.name === "Plan")!;
    event({ type: "tabs:open", kind: "view", target: plan.id, title: "Plan" });
    const board = adasTab(doc, "main");
    event({ type: "tabs:activate", tabId: board });
    const { store } = storeFor(doc, []);
    renderBar(store);
    fireEvent.click(screen.getByRole("tab", { name: "Plan" }));
    await act(async () => {
      await new Promise((r) => setTimeout(r, 10));
    });
    expect(selected()).toBe("Plan");
    expect(activeTabsOf(doc).get("ada")).toBe(board);
    expect(store.getSnapshot().toasts).toEqual([]);
  });
});

describe("tabs are each person's own", () => {
  it("shows someone else's new tab as a view to open, and their closing or reordering changes nothing here", async () => {
    const { doc, event } = projectDoc();
    const { store } = storeFor(doc);
    renderBar(store);
    expect(tabNames()).toEqual(["Board"]);
    act(() => event({ type: "whiteboard:create-view", name: "Plan" }, "ben"));
    const plan = [...viewsOf(doc).values()].find((v) => v.name === "Plan")!;
    act(() => event({ type: "tabs:open", kind: "view", target: plan.id, title: "Plan" }, "ben"));
    expect(tabsFor(doc, "ben").map((t) => t.title)).toEqual(["Board", "Plan"]);
    // Ada: still her one tab; the new view is listed to open.
    expect(tabNames()).toEqual(["Board"]);
    expect(screen.getByRole("button", { name: "Views (1) ▾" })).toBeTruthy();
    act(() => event({ type: "tabs:reorder", tabIds: tabsFor(doc, "ben").map((t) => t.id).reverse() }, "ben"));
    act(() => event({ type: "tabs:close", tabId: tabsFor(doc, "ben").find((t) => t.target === "main")!.id }, "ben"));
    expect(tabsFor(doc, "ben").map((t) => t.title)).toEqual(["Plan"]);
    expect(tabNames()).toEqual(["Board"]);
    expect(selected()).toBe("Board");
    // Ada closes hers: Ben's tab bar does not change.
    fireEvent.click(screen.getByRole("button", { name: "Close Board" }));
    await waitFor(() => expect(screen.getByText("No open tabs")).toBeTruthy());
    expect(tabsFor(doc, "ben").map((t) => t.title)).toEqual(["Plan"]);
    expect(tabsOf(doc).size).toBe(2); // the starting tab (for people yet to change theirs) and Ben's
  });
});

describe("tab order helpers", () => {
  it("moves an id within bounds only, and picks the right-hand neighbour of a closed tab", () => {
    expect(moveId(["a", "b", "c"], "c", -2)).toEqual(["c", "a", "b"]);
    expect(moveId(["a", "b", "c"], "a", -1)).toBeNull();
    expect(moveId(["a", "b", "c"], "x", 1)).toBeNull();
    const tabs = ["a", "b", "c"].map((id) => ({ id, title: id, viewId: id }));
    expect(neighbourOf(tabs, "b")?.id).toBe("c");
    expect(neighbourOf(tabs, "c")?.id).toBe("b");
    expect(neighbourOf(tabs.slice(0, 1), "a")).toBeNull();
  });
});

describe("a tab that shows a module's content (a container's app)", () => {
  it("is listed with the views, tells the editor it is shown, and keeps the board's view under it", async () => {
    const { doc } = projectDoc();
    const { store } = storeFor(doc);
    let shown: { title: string; viewId: string | null; target: string; content: unknown } | null = null;
    render(
      <BoardContext.Provider value={store}>
        <TabBar onCurrent={(tab) => (shown = tab)} />
        <ShownView />
      </BoardContext.Provider>,
    );
    await act(() => store.run({ events: [{ type: "tabs:open", kind: "app", target: "abc123def456/terminal", title: "Lab · terminal" }] }));
    await waitFor(() => expect(tabNames()).toEqual(["Board", "Lab · terminal"]));
    expect(selected()).toBe("Lab · terminal");
    await waitFor(() => expect(shown).toMatchObject({ title: "Lab · terminal", viewId: null, target: "abc123def456/terminal", content: expect.any(Function) }));
    // The board stays on its view underneath; back to the view tab, nothing is drawn over it.
    expect(screen.getByTestId("view").textContent).toBe("main");
    fireEvent.click(screen.getByRole("tab", { name: /Board/ }));
    await waitFor(() => expect(shown).toMatchObject({ viewId: "main", content: null }));
  });
});
