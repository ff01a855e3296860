/**
 * The web registry (web/src/modules/registry.ts) covers the gateway: a web side for every
 * gateway module and a view for every node kind a gateway module declares (`nodeKinds`). Checked at runtime here,
 * and at typecheck time by the `@ts-expect-error` lines below (`npm run typecheck` fails if
 * they stop being errors).
 */
import { describe, expect, it } from "vitest";
import { NODE_KINDS, type NodeKind, modules } from "../../gateway-do/src/modules/registry";
import { coreGraph } from "../src/modules/core-graph";
import { notes } from "../src/modules/notes";
import { type ViewedNodeKinds, type WebRegistry, createTools, memberWork, nodeTypes, nodeViewOf, webModuleOf } from "../src/modules/registry";
import { roles } from "../src/modules/roles";
import { tabs } from "../src/modules/tabs";
import { whiteboard } from "../src/modules/whiteboard";

// @ts-expect-error a registry missing a gateway module (here chats) does not compile.
export const missingAModule: WebRegistry = { "core-graph": coreGraph, whiteboard, notes, tabs, roles };

// @ts-expect-error nor does one naming a module the gateway does not register.
export const extraModule: WebRegistry = { "core-graph": coreGraph, whiteboard, notes, chats: notes, tabs, roles, tickets: roles };

// A node kind a gateway module declares that no web module draws is caught: registry.ts's
// `everyNodeKindHasAView` then fails the typecheck, naming the kind.
export const kindWithoutAView: [Exclude<NodeKind | "kind-without-a-view", ViewedNodeKinds>] extends [never] ? "missed" : "caught" = "caught";

describe("the web registry", () => {
  it("has a web side for every gateway module", () => {
    expect(modules.map((m) => m.name).filter((name) => webModuleOf(name) === undefined)).toEqual([]);
  });

  it("draws every node kind the gateway's modules declare", () => {
    expect([...NODE_KINDS].sort()).toEqual(["cell", "chat", "container", "frame", "group", "image", "note"]);
    expect(NODE_KINDS.filter((kind) => nodeViewOf(kind) === undefined)).toEqual([]);
    for (const kind of NODE_KINDS) expect(nodeTypes()[kind]).toBe(nodeViewOf(kind)!.component);
  });

  it("offers the modules' tools in the board's order: notes, chats, containers, code cells and images, then shapes", () => {
    expect(createTools().map((t) => t.menuLabel)).toEqual(["New note here", "New chat here", "New container here", "New code cell here", "Image…", "Rectangle", "Ellipse", "Arrow", "Text", "Pen", "Frame"]);
    expect(createTools().map((t) => t.title)).toEqual(["New note (N)", "New chat on the board", "New container (a machine of yours on the board)", "New code cell (C)", "Add an image from a file", "Rectangle (R)", "Ellipse (O)", "Arrow (A)", "Text label (T)", "Pen (P)", "Frame (F)"]);
    expect(createTools().map((t) => t.key ?? null)).toEqual(["n", null, null, "c", null, "r", "o", "a", "t", "p", "f"]);
    expect(memberWork()).toEqual(["notes", "chats", "views", "tabs", "containers", "code cells", "images"]);
  });
});
