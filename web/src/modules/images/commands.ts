/** The images module's board commands. */
import { nodesOf } from "../../../../gateway-do/src/modules/core-graph";
import type { UploadedImage } from "../../../../protocol/images";
import { deleteCommand, newItemId } from "../../board/commands";
import type { BoardStore, Command } from "../../board/store";
import type { GatewayEvent } from "../../gateway/messages";
import type { Box } from "../kit";

/** An image to place: its box on the view and the stored image it shows. */
export type PlacedImage = Box & { id?: string; image: Pick<UploadedImage, "id" | "type" | "width" | "height"> };

/** The events placing images, each under its own node id. */
export function createImageEvents(viewId: string, images: readonly (PlacedImage & { id: string })[]): GatewayEvent[] {
  return images.map((i) => ({
    type: "images:create",
    id: i.id,
    viewId,
    x: Math.round(i.x),
    y: Math.round(i.y),
    width: Math.round(i.width),
    height: Math.round(i.height),
    image: { id: i.image.id, type: i.image.type, width: i.image.width, height: i.image.height },
  }));
}

/** Places stored images (uploaded, pasted); undo deletes them (their bytes stay, for a redo or a paste). */
export function createImagesCommand(store: BoardStore, viewId: string, images: readonly PlacedImage[]): Command & { ids: string[] } {
  const withIds = images.map((i) => ({ ...i, id: i.id ?? newItemId() }));
  const ids = withIds.map((i) => i.id);
  return {
    ids,
    events: createImageEvents(viewId, withIds),
    inverse: () => deleteCommand(store, viewId, ids.filter((id) => nodesOf(store.doc).has(id))),
  };
}
