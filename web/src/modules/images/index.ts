/**
 * images on the web: the image node (the stored picture, resized at its own ratio), files
 * dropped or pasted onto the board and the "Image…" tool's picker becoming image nodes (uploads
 * with progress, refusals in words), copy and paste placing the same stored image again, and
 * undo of a delete bringing it back on every view.
 */
import { readImage } from "../../../../gateway-do/src/modules/images";
import { absolutePosition, placementKey, placementsOf, viewsOf } from "../../../../gateway-do/src/modules/whiteboard/placements";
import type { GatewayEvent } from "../../gateway/messages";
import { type Box, type WebModule, defineNodeView } from "../kit";
import { type PlacedImage, createImageEvents, createImagesCommand } from "./commands";
import { type ImageNodeData, ImageNode } from "./ImageNode";
import { UploadProgress } from "./UploadProgress";
import { addImageFiles, imageFiles, pickImageFiles } from "./uploads";

/** A deleted image: where it was on this view, what it showed, and where else it sat. */
interface SavedImage extends PlacedImage {
  elsewhere: (Box & { viewId: string })[];
}

/** The image node `nodeId` on `viewId` as something to place again, or null. */
function placedImage(doc: Parameters<typeof readImage>[0], viewId: string, nodeId: string): PlacedImage | null {
  const placement = placementsOf(doc).get(placementKey(viewId, nodeId));
  const record = readImage(doc, nodeId);
  if (!placement || !record) return null;
  return { ...absolutePosition(doc, placement), width: placement.width, height: placement.height, image: { id: record.image, type: record.type, width: record.width, height: record.height } };
}

const image = defineNodeView<ImageNodeData, ReturnType<typeof readImage>, PlacedImage, SavedImage>({
  component: ImageNode,
  lookup: (doc) => (nodeId) => readImage(doc, nodeId),
  data: (base, record) => ({ ...base, image: record }),
  minimap: { small: "#cbd5e1", big: "#94a3b8" },
  // Zoomed far out no picture is drawn (the canvas draws outlines): a slate box naming its size.
  far: {
    outline: "box",
    radius: 0,
    fill: "#cbd5e1",
    stroke: "#94a3b8",
    strokeWidth: 1,
    text: { line: (node, doc) => `Image ${readImage(doc, node.id)?.width ?? "?"}×${readImage(doc, node.id)?.height ?? "?"}`, ink: "#334155", size: 24, at: "centre" },
  },
  styles: ["stroke", "strokeWidth", "strokeStyle"],
  clipboard: {
    // The stored image is reused: a copy is a new node showing the same bytes.
    copy: (doc, viewId, nodeId) => placedImage(doc, viewId, nodeId),
    paste: (store, viewId, items) => createImagesCommand(store, viewId, items),
  },
  restore: {
    save: (doc, viewId, nodeId) => {
      const placed = placedImage(doc, viewId, nodeId);
      if (!placed) return null;
      const elsewhere = [...placementsOf(doc).values()]
        .filter((p) => p.nodeId === nodeId && p.viewId !== viewId)
        .map((p) => ({ viewId: p.viewId, ...absolutePosition(doc, p), width: p.width, height: p.height }));
      return { ...placed, elsewhere };
    },
    restore: (doc, viewId, nodeId, saved): GatewayEvent[] => [
      ...createImageEvents(viewId, [{ ...saved, id: nodeId }]),
      ...saved.elsewhere.filter((p) => viewsOf(doc).has(p.viewId)).map((p) => ({ type: "whiteboard:place" as const, nodeId, ...p })),
    ],
  },
});

export const images = {
  title: "Images",
  memberWork: "images",
  permissions: { "images:create": "Add images (upload them to the project)" },
  nodes: { image },
  overlays: [UploadProgress],
  fromFiles: {
    takes: (file) => imageFiles([file]).length > 0,
    add: (store, viewId, files, place) => addImageFiles(store, viewId, imageFiles(files), place),
  },
  tools: [
    {
      section: "create",
      icon: { d: "M4 5h16v14H4z M4 16l5-5 4 4 3-3 4 4 M15.5 9.5h.01" },
      label: "Image",
      title: "Add an image from a file",
      menuLabel: "Image…",
      run: async (store, viewId, at) => {
        // The picker opens in the click's own turn (browsers allow it only then).
        const files = await pickImageFiles();
        return files.length > 0 ? addImageFiles(store, viewId, files, () => at) : [];
      },
    },
  ],
} satisfies WebModule;
