/** Creating like the peers (issue #18): where new things land, where pastes land, presence colours, a note's markdown, the empty-board hint. */
import { act, cleanup, render, screen } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import { afterEach, describe, expect, it } from "vitest";
import { pastePlace, copySelection } from "../src/board/clipboard";
import { freeSpot } from "../src/board/placement";
import { align, distribute } from "../src/board/arrange";
import { assignColors, PALETTE } from "../src/board/presence";
import { BoardStore } from "../src/board/store";
import { EmptyBoardHint } from "../src/board/CanvasOverlays";
import { useEditRequest } from "../src/board/edit-request";
import { BoardContext } from "../src/board/store-context";
import { type BoardActions, useBoardActions } from "../src/board/use-board-actions";
import { createTools } from "../src/modules/registry";
import { NoteMarkdown } from "../src/modules/notes/NoteMarkdown";
import type { Ack } from "../src/gateway/messages";
import { fakeConnection, projectDoc } from "./board-fixtures";

afterEach(cleanup);

const view = { x: 0, y: 0, width: 1000, height: 600 };
const note = { width: 240, height: 160 };
const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("where a new item lands", () => {
  it("in the middle of the view when it is free", () => {
    expect(freeSpot(view, [], note)).toEqual({ x: 380, y: 220 });
  });

  it("on the free spot nearest the middle, clear of what is there, and inside the view", () => {
    const taken = [{ x: 380, y: 220, ...note }];
    const spot = freeSpot(view, taken, note);
    expect(overlap({ ...spot, ...note }, { x: 380 - 16, y: 220 - 16, width: 240 + 32, height: 160 + 32 })).toBe(false);
    expect(spot.x >= 0 && spot.y >= 0 && spot.x + 240 <= 1000 && spot.y + 160 <= 600).toBe(true);
    // The nearest: not further than one note's size away.
    expect(Math.hypot(spot.x - 380, spot.y - 220)).toBeLessThanOrEqual(260);
    // Filling the view one by one never stacks two.
    const all = [...taken];
    for (let i = 0; i < 4; i++) all.push({ ...freeSpot(view, all, note), ...note });
    for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) expect(overlap(a, b), `${JSON.stringify(a)} / ${JSON.stringify(b)}`).toBe(false);
  });

  it("in the middle when the view is full", () => {
    expect(freeSpot(view, [{ x: -10, y: -10, width: 1100, height: 700 }], note)).toEqual({ x: 380, y: 220 });
  });
});

describe("what a tool creates, once the gateway answers", () => {
  /** A board whose gateway answers each event when the test says; `press` is a key pressed meanwhile. */
  function slowBoard() {
    const { doc } = projectDoc();
    const answers: (() => void)[] = [];
    const connection = fakeConnection(doc, (event) => new Promise<Ack>((resolve) => answers.push(() => resolve({ requestId: String(event.requestId), ok: true }))));
    const store = new BoardStore(connection, { userId: "ada", name: "Ada", color: PALETTE[0]! });
    let actions: BoardActions | undefined;
    const Probe = () => ((actions = useBoardActions()), null);
    render(
      <BoardContext.Provider value={store}>
        <ReactFlowProvider>
          <Probe />
        </ReactFlowProvider>
      </BoardContext.Provider>,
    );
    return { store, connection, actions: actions!, answer: () => answers.shift()!() };
  }
  /** Whether the board asks note `id` to open for typing. */
  function askedToEdit(store: BoardStore, id: string): boolean {
    let asked = false;
    const Note = () => (useEditRequest(id, () => (asked = true)), null);
    render(
      <BoardContext.Provider value={store}>
        <Note />
      </BoardContext.Provider>,
    );
    return asked;
  }
  const noteTool = () => createTools().find((t) => t.key === "n")!;
  const createdNote = (connection: { sent: { type: string; id?: unknown }[] }) => connection.sent.find((e) => e.type === "notes:create")!.id as string;

  it("is selected and opened for typing", async () => {
    const { store, connection, actions, answer } = slowBoard();
    const creating = actions.create(noteTool());
    await act(async () => (answer(), await creating));
    const id = createdNote(connection);
    expect([...store.selected]).toEqual([id]);
    expect(askedToEdit(store, id)).toBe(true);
  });

  it("is left alone when the person pressed a key before the answer (Escape): it takes neither their selection nor their keys", async () => {
    const { store, connection, actions, answer } = slowBoard();
    const creating = actions.create(noteTool());
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    await act(async () => (answer(), await creating));
    const id = createdNote(connection);
    expect(store.selected.size).toBe(0);
    expect(askedToEdit(store, id)).toBe(false);
  });

  it("is left alone when the person clicked meanwhile", async () => {
    const { store, connection, actions, answer } = slowBoard();
    const creating = actions.createAt({ x: 10, y: 10 });
    window.dispatchEvent(new PointerEvent("pointerdown"));
    await act(async () => (answer(), await creating));
    expect(store.selected.size).toBe(0);
    expect(askedToEdit(store, createdNote(connection))).toBe(false);
  });
});

describe("where a paste lands", () => {
  const ok = async () => ({ requestId: "x", ok: true }) as Ack;
  function copied() {
    const { doc, event } = projectDoc();
    event({ type: "notes:create", id: "a", viewId: "main", x: 100, y: 50, text: "alpha" });
    event({ type: "whiteboard:create-shape", id: "s", viewId: "main", kind: "rectangle", x: 400, y: 80, width: 100, height: 60, text: "box" });
    const store = new BoardStore(fakeConnection(doc, ok), { userId: "ada", name: "Ada", color: PALETTE[0]! });
    store.setSelection(new Set(["a", "shape:s"]));
    return copySelection(store)!;
  }

  it("one step further from the original at each paste when the pointer is off the board", () => {
    const clip = copied();
    expect(clip.origin).toEqual({ x: 100, y: 50 });
    expect(clip.size).toEqual({ width: 400, height: 160 });
    expect(clip.text).toBe("alpha\n\nbox");
    expect(pastePlace(clip, { pointer: null })).toEqual({ x: 124, y: 74 });
    expect(pastePlace(clip, { pointer: null })).toEqual({ x: 148, y: 98 });
  });

  it("centred on the pointer, or at the corner the menu was opened at", () => {
    const clip = copied();
    expect(pastePlace(clip, { pointer: { x: 1000, y: 1000 } })).toEqual({ x: 800, y: 920 });
    expect(pastePlace(clip, { corner: { x: 5, y: 6 }, pointer: { x: 1000, y: 1000 } })).toEqual({ x: 5, y: 6 });
  });
});

describe("presence colours", () => {
  it("differ for the first people on a project, given by order of arrival", () => {
    const colors = assignColors([
      { userId: "ben", color: PALETTE[0]!, arrived: 20 },
      { userId: "ada", color: PALETTE[0]!, arrived: 10 },
      { userId: "cy", color: PALETTE[0]!, arrived: 30 },
    ]);
    expect(colors).toEqual(new Map([["ada", PALETTE[0]], ["ben", PALETTE[1]], ["cy", PALETTE[2]]]));
  });

  it("stay each person's while they are here: someone earlier leaving changes no one else's", () => {
    const first = assignColors([
      { userId: "ada", color: PALETTE[0]!, arrived: 10 },
      { userId: "ben", color: PALETTE[0]!, arrived: 20 },
    ]);
    // Ben now claims the colour he was given; Ada leaves; Cy arrives.
    const after = assignColors([
      { userId: "ben", color: first.get("ben")!, arrived: 20 },
      { userId: "cy", color: PALETTE[0]!, arrived: 30 },
    ]);
    expect(after.get("ben")).toBe(first.get("ben"));
    expect(after.get("cy")).toBe(PALETTE[0]);
  });

  it("are one per person, however many tabs (the earliest tab's claim), and distinct for as many people as the palette has", () => {
    const colors = assignColors([
      { userId: "ben", color: PALETTE[3]!, arrived: 5 },
      { userId: "ben", color: PALETTE[0]!, arrived: 50 },
      ...Array.from({ length: PALETTE.length - 1 }, (_, i) => ({ userId: `p${i}`, color: PALETTE[3]!, arrived: 100 + i })),
    ]);
    expect(colors.get("ben")).toBe(PALETTE[3]);
    expect(colors.size).toBe(PALETTE.length);
    expect(new Set(colors.values()).size).toBe(PALETTE.length);
  });

  it("settle in the store: this person's own colour is the one given, and peers get theirs", () => {
    const { doc } = projectDoc();
    const connection = fakeConnection(doc, async () => ({ requestId: "x", ok: true }) as Ack);
    // Someone else (another client) arrived earlier and holds the first colour.
    const other = 999_999;
    connection.awareness.states.set(other, { userId: "ben", name: "Ben", color: PALETTE[0]!, cursor: null, view: null, selection: [], arrived: 1 });
    const store = new BoardStore(connection, { userId: "ada", name: "Ada", color: PALETTE[0]! });
    const snapshot = store.getSnapshot();
    expect(snapshot.me.color).toBe(PALETTE[1]);
    expect(snapshot.peers.map((p) => [p.name, p.color])).toEqual([["Ben", PALETTE[0]]]);
    store.destroy();
  });
});

describe("a note's markdown", () => {
  it("draws headings, emphasis, lists, task lists, code and links opening in a new tab, and never raw HTML", () => {
    const { container } = render(
      <NoteMarkdown text={"# Plan\n\nSome **bold** and _soft_ text.\n\n- [x] done\n- [ ] todo\n\n1. one\n\n`code` [site](https://example.com) [bad](javascript:alert(1))\n\n<b>raw</b><img src=x onerror=alert(1)>"} />,
    );
    expect(container.querySelector("h1")?.textContent).toBe("Plan");
    expect(container.querySelector("strong")?.textContent).toBe("bold");
    expect(container.querySelector("em")?.textContent).toBe("soft");
    expect([...container.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')].map((c) => [c.checked, c.disabled])).toEqual([[true, true], [false, true]]);
    expect(container.querySelector("ol li")?.textContent).toBe("one");
    expect(container.querySelector("code")?.textContent).toBe("code");
    const link = screen.getByRole("link", { name: "site" });
    expect([link.getAttribute("href"), link.getAttribute("target"), link.getAttribute("rel")]).toEqual(["https://example.com", "_blank", "noopener noreferrer"]);
    expect(screen.getByText("bad").getAttribute("href") ?? "").not.toMatch(/javascript/i);
    expect(container.querySelectorAll("b, img").length).toBe(0);
  });
});

describe("an empty view", () => {
  it("says what to do first: double-click, and each tool's key", () => {
    render(<EmptyBoardHint />);
    const hint = screen.getByTestId("empty-board-hint");
    expect(hint.textContent).toMatch(/Double-click anywhere for a new note/);
    expect([...hint.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["N New note", "C New code cell", "R Rectangle", "O Ellipse", "A Arrow", "T Text label", "P Pen", "F Frame"]);
  });
});

describe("align and distribute", () => {
  const boxes = [
    { id: "a", x: 0, y: 0, width: 100, height: 50 },
    { id: "b", x: 300, y: 40, width: 50, height: 100 },
    { id: "c", x: 120, y: 200, width: 80, height: 20 },
  ];

  it("lines items up on an edge or a centre of their bounds, moving only those that move", () => {
    expect(align(boxes, "left")).toEqual([{ id: "b", x: 0, y: 40 }, { id: "c", x: 0, y: 200 }]);
    expect(align(boxes, "right")).toEqual([{ id: "a", x: 250, y: 0 }, { id: "c", x: 270, y: 200 }]);
    expect(align(boxes, "centre")).toEqual([{ id: "a", x: 125, y: 0 }, { id: "b", x: 150, y: 40 }, { id: "c", x: 135, y: 200 }]);
    expect(align(boxes, "top")).toEqual([{ id: "b", x: 300, y: 0 }, { id: "c", x: 120, y: 0 }]);
    expect(align(boxes, "bottom")).toEqual([{ id: "a", x: 0, y: 170 }, { id: "b", x: 300, y: 120 }]);
    expect(align(boxes.slice(0, 1), "left")).toEqual([]);
  });

  it("spaces three or more evenly between the outermost, with equal gaps", () => {
    // Horizontal: a ends at 100, b starts at 300 and ends at 350; c (80 wide) goes in the middle: gaps of 60.
    expect(distribute(boxes, "horizontal")).toEqual([{ id: "c", x: 160, y: 200 }]);
    expect(distribute(boxes.slice(0, 2), "horizontal")).toEqual([]);
  });
});
