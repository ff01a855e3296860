import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { editableTextsIn } from "../../gateway-do/src/doc/editable-texts";
import { editableTexts } from "../../gateway-do/src/modules/registry";

describe("the editable texts of a doc, by every module's declared paths", () => {
  it("finds each module's texts without knowing the module, and creates no root map", () => {
    const doc = new Y.Doc();
    const bodies = doc.getMap<Y.Text>("notes/bodies");
    bodies.set("n1", new Y.Text("first"));
    bodies.set("n2", new Y.Text("second"));
    // Not a text where a text is declared: skipped.
    doc.getMap<unknown>("notes/bodies").set("n3", "plain string");
    const found = editableTextsIn(doc, editableTexts);
    expect([...found].map(([path, text]) => [path, text.toString()])).toEqual([
      ["notes/bodies/n1", "first"],
      ["notes/bodies/n2", "second"],
    ]);
    const empty = new Y.Doc();
    expect(editableTextsIn(empty, editableTexts).size).toBe(0);
    expect([...empty.share.keys()]).toEqual([]);
  });

  it("follows deeper paths and named keys", () => {
    const doc = new Y.Doc();
    const cells = doc.getMap<Y.Map<Y.Text>>("cells");
    const cell = new Y.Map<Y.Text>();
    cells.set("c1", cell);
    cell.set("code", new Y.Text("print(1)"));
    cell.set("title", new Y.Text("not editable"));
    const found = editableTextsIn(doc, [{ path: ["cells", "*", "code"], permission: () => "x:edit" }]);
    expect([...found.keys()]).toEqual(["cells/c1/code"]);
  });
});
