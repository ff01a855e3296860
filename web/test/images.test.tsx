/**
 * The images module's web side: an image placed by the gateway's own reducer at its own ratio,
 * copy and paste and undo of a delete reusing the stored image, refusals before an upload and
 * the gateway's words after one, and the node drawing the project's image URL.
 */
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { nodesOf } from "../../gateway-do/src/modules/core-graph";
import { placedSize, readImage } from "../../gateway-do/src/modules/images";
import { placementKey, placementsOf, viewsOf } from "../../gateway-do/src/modules/whiteboard/placements";
import { BoardStore } from "../src/board/store";
import { type ImageNodeData, ImageNode } from "../src/modules/images/ImageNode";
import { errorMessage, refusedBeforeUpload } from "../src/modules/images/upload";
import { imageFiles } from "../src/modules/images/uploads";
import { nodeViewOf } from "../src/modules/registry";
import { fakeConnection, projectDoc } from "./board-fixtures";
import { ORG, PROJECT, me, renderNodeView } from "./user-containers-fixtures";

afterEach(cleanup);

const IMAGE = { id: "AbCdEfGhIjKlMnOp", type: "image/png", width: 1200, height: 600 } as const;

function boardWithImage() {
  const { doc, event } = projectDoc();
  event({ type: "images:create", id: "i1", viewId: "main", x: 100, y: 50, image: IMAGE });
  const store = new BoardStore(fakeConnection(doc, async () => ({ requestId: "r", ok: true })), me, { org: ORG, project: PROJECT });
  return { doc, event, store };
}

describe("image nodes", () => {
  it("are placed at their own ratio, at most 480 px a side", () => {
    const { doc } = boardWithImage();
    expect(readImage(doc, "i1")).toEqual({ image: IMAGE.id, type: "image/png", width: 1200, height: 600 });
    expect(placementsOf(doc).get(placementKey("main", "i1"))).toMatchObject({ x: 100, y: 50, width: 480, height: 240 });
    expect(placedSize({ width: 30, height: 20 })).toEqual({ width: 30, height: 20 });
    expect(placedSize({ width: 300, height: 3000 })).toEqual({ width: 48, height: 480 });
  });

  it("copy and paste place the same stored image as a new node", () => {
    const { doc, store } = boardWithImage();
    const view = nodeViewOf("image")!;
    const copied = view.clipboard!.copy(doc, "main", "i1")!;
    const command = view.clipboard!.paste(store, "main", [{ ...copied, x: copied.x + 24, y: copied.y + 24 }]);
    expect(command.ids).toHaveLength(1);
    expect(command.ids[0]).not.toBe("i1");
    expect(command.events).toEqual([{ type: "images:create", id: command.ids[0], viewId: "main", x: 124, y: 74, width: 480, height: 240, image: IMAGE }]);
  });

  it("undo of a delete brings it back as itself, showing the same image, on every view it was on", () => {
    const { doc, event } = boardWithImage();
    event({ type: "whiteboard:create-view", name: "Other" });
    const v2 = [...viewsOf(doc).keys()].find((id) => id !== "main")!;
    event({ type: "whiteboard:place", nodeId: "i1", viewId: v2, x: 7, y: 8, width: 96, height: 48 });
    const view = nodeViewOf("image")!;
    const saved = view.restore!.save(doc, "main", "i1");
    event({ type: "core-graph:delete-nodes", nodeIds: ["i1"] });
    expect(nodesOf(doc).has("i1")).toBe(false);
    expect(readImage(doc, "i1")).toBeUndefined();
    for (const e of view.restore!.restore(doc, "main", "i1", saved, () => true)!) event(e);
    expect(readImage(doc, "i1")).toEqual({ image: IMAGE.id, type: "image/png", width: 1200, height: 600 });
    expect(placementsOf(doc).get(placementKey("main", "i1"))).toMatchObject({ x: 100, y: 50, width: 480, height: 240 });
    expect(placementsOf(doc).get(placementKey(v2, "i1"))).toMatchObject({ x: 7, y: 8, width: 96, height: 48 });
  });

  it("draws the project's image, and says so when it cannot be loaded", () => {
    const { doc, store } = boardWithImage();
    renderNodeView<ImageNodeData>(store, "image", ImageNode, "i1", { image: readImage(doc, "i1") });
    const img = screen.getByTestId("board-image");
    expect(img.getAttribute("src")).toBe(`/gw/${ORG}/m/images/file?project=${PROJECT}&id=${IMAGE.id}`);
    fireEvent.error(img);
    expect(screen.getByRole("img", { name: "Image unavailable" })).toBeTruthy();
  });
});

describe("uploads", () => {
  it("refuses a file over 10 MB or empty before sending it, in words", () => {
    expect(refusedBeforeUpload({ name: "big.jpg", size: 12.5 * 1024 * 1024 })).toBe("big.jpg is 12.5 MB: images up to 10 MB are accepted.");
    expect(refusedBeforeUpload({ name: "ok.png", size: 10 * 1024 * 1024 })).toBeNull();
    expect(refusedBeforeUpload({ name: "nothing.png", size: 0 })).toBe("nothing.png is empty.");
  });

  it("shows the gateway's sentence from an error, else a plain one", () => {
    expect(errorMessage(415, JSON.stringify({ error: { code: "svg_refused", message: "SVG images are not accepted." } }))).toBe("SVG images are not accepted.");
    expect(errorMessage(502, "<html>Bad gateway</html>")).toBe("The upload failed (HTTP 502).");
    expect(errorMessage(0, "")).toMatch(/cut off/);
  });

  it("takes image files (SVG too, for the gateway to refuse in words), not other files", () => {
    const file = (name: string, type: string) => new File(["x"], name, { type });
    expect(imageFiles([file("a.png", "image/png"), file("notes.txt", "text/plain"), file("logo.svg", ""), file("photo.JPG", "")]).map((f) => f.name)).toEqual(["a.png", "logo.svg", "photo.JPG"]);
  });
});
