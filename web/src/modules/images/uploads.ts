/**
 * Image files becoming image nodes: each is uploaded (its progress shown by UploadProgress),
 * then placed where it was dropped or pasted, at its own aspect ratio; a refusal says why in
 * a toast. Several files land side by side.
 */
import { placedSize } from "../../../../gateway-do/src/modules/images";
import { UiSlot } from "../../board/module-state";
import type { BoardStore } from "../../board/store";
import type { Point } from "../kit";
import { createImagesCommand } from "./commands";
import { refusedBeforeUpload, uploadImage } from "./upload";

export interface Upload {
  key: number;
  name: string;
  /** Sent so far, 0 to 1. */
  sent: number;
}

/** The uploads under way on this screen. */
export const uploadsSlot = new UiSlot<readonly Upload[]>([]);
let nextKey = 0;

const setUpload = (store: BoardStore, key: number, change: Upload | null) => {
  const others = store.ui(uploadsSlot).filter((u) => u.key !== key);
  store.setUi(uploadsSlot, change ? [...others, change].sort((a, b) => a.key - b.key) : others);
};

/** Gap between images made from several files at once, in px. */
const GAP = 16;

/**
 * Uploads `files` and places each as an image node; `place` gives the corner of something of a
 * size (at the drop point, the pointer, or a free spot). Resolves to the node ids made.
 */
export async function addImageFiles(store: BoardStore, viewId: string, files: readonly File[], place: (size: { width: number; height: number }) => Point): Promise<string[]> {
  if (!store.place) {
    store.toast("Images need a project on a gateway: this board is not connected to one.");
    return [];
  }
  const where = store.place;
  const uploaded = await Promise.all(
    files.map(async (file) => {
      const refused = refusedBeforeUpload(file);
      if (refused) return store.toast(refused), null;
      const key = ++nextKey;
      setUpload(store, key, { key, name: file.name || "image", sent: 0 });
      try {
        return await uploadImage(where, file, (sent) => setUpload(store, key, { key, name: file.name || "image", sent }));
      } catch (error) {
        store.toast(`${file.name || "The image"}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      } finally {
        setUpload(store, key, null);
      }
    }),
  );
  const images = uploaded.filter((u) => u !== null);
  if (images.length === 0) return [];
  const sizes = images.map(placedSize);
  // One row, centred where asked.
  const row = { width: sizes.reduce((w, s) => w + s.width, 0) + GAP * (sizes.length - 1), height: Math.max(...sizes.map((s) => s.height)) };
  const corner = place(row);
  let x = corner.x;
  const command = createImagesCommand(
    store,
    viewId,
    images.map((image, i) => {
      const at = { x, y: corner.y, ...sizes[i]!, image };
      x += sizes[i]!.width + GAP;
      return at;
    }),
  );
  return (await store.run(command)) ? command.ids : [];
}

/** Image files among `files` (what the picker, a drop or a paste offers), by their declared type; the gateway checks the bytes. */
export const imageFiles = (files: readonly File[]): File[] => files.filter((f) => f.type.startsWith("image/") || /\.(png|jpe?g|gif|webp|svg)$/i.test(f.name));

/** Opens the system's file picker for images; resolves to what was chosen (nothing when cancelled). Call it from a click. */
export function pickImageFiles(): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/png,image/jpeg,image/gif,image/webp";
    input.multiple = true;
    input.addEventListener("change", () => resolve([...(input.files ?? [])]));
    input.addEventListener("cancel", () => resolve([]));
    input.click();
  });
}
