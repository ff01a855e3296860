/** Node kinds are declared by the modules that create them; core-graph keeps no list. */
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { newNode } from "../src/modules/core-graph";
import type { ReduceContext } from "../src/modules/kit";
import { NODE_KINDS, modules } from "../src/modules/registry";

const context = (): ReduceContext => ({
  doc: new Y.Doc(),
  actor: { userId: "u1", grants: ["*:*"] },
  now: 1,
  newId: () => "n1",
  can: () => true,
  emit: () => {},
  modules,
});

describe("node kinds", () => {
  it("are gathered from the modules, each declared once", () => {
    expect([...NODE_KINDS].sort()).toEqual(["cell", "chat", "container", "frame", "group", "image", "note"]);
    expect(modules.find((m) => m.name === "jupyter")?.nodeKinds).toEqual(["cell"]);
  });

  it("a node of a kind no loaded module declares is refused as a programming error", () => {
    expect(newNode(context(), "note")).toMatchObject({ id: "n1", kind: "note" });
    expect(() => newNode({ ...context(), modules: modules.filter((m) => m.name !== "notes") }, "note")).toThrow(/declared by no loaded module/);
  });
});
