/**
 * images: pictures on the board. A member uploads a file (`POST /gw/{org}/m/images/upload`,
 * routes.ts: checked by its bytes and the org's quota, quota.ts; stored in the org's R2 bucket),
 * then places it as an `image` node with `images:create`; copies, pastes and undo place the same
 * stored image again. The bytes outlive a deleted node for a grace period (undo and paste still
 * find them), then the module's alarm reclaims them (reclaim.ts); all go with their project.
 */
import { z } from "zod";
import { ImageTypeSchema } from "../../../../protocol/images";
import { chooseNodeId, newNode, nodesOf } from "../core-graph";
import { ChosenIdSchema } from "../core-graph/schema";
import { type ModuleDefinition, EventError, defineEvent } from "../kit";
import { PlaceOnView, checkPlace, placeAsAsked } from "../whiteboard/place";
import { MIGRATIONS, OBJECT_ID, forgetProject, markReferenced, markUnreferenced, objectKey, storedImage } from "./objects";
import { IMAGES, type ImageRecord, ImageRecordType, imagesOf, readImage, shownBy } from "./records";
import { nextReclaim, reclaimEvent, runReclaim } from "./reclaim";
import { CREATE, fileRoute, uploadRoute } from "./routes";

export { IMAGES, type ImageRecord, ImageRecordType, imagesOf, readImage };

/** The largest side a new image node gets on the board, in px: a photo lands the size of a few notes, not of the screen. */
export const MAX_PLACED_SIDE = 480;

/** The size an image is first placed at: its own, scaled down to fit MAX_PLACED_SIDE, ratio kept. */
export function placedSize(image: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(1, MAX_PLACED_SIDE / Math.max(image.width, image.height));
  return { width: Math.max(8, Math.round(image.width * scale)), height: Math.max(8, Math.round(image.height * scale)) };
}

export const CreateImageSchema = z.strictObject({
  id: ChosenIdSchema,
  ...PlaceOnView,
  /** The uploaded image to show (its type and size are the gateway's record of it, whatever is sent). */
  image: z.strictObject({ id: z.string().regex(OBJECT_ID), type: ImageTypeSchema, width: z.int().min(1), height: z.int().min(1) }),
});

export const images = {
  name: IMAGES,
  nodeKinds: ["image"] as const,
  dependencies: ["core-graph", "whiteboard"],
  permissions: [CREATE],
  errors: { not_found: 404 },
  records: { images: ImageRecordType },
  storage: { migrations: MIGRATIONS },
  routes: [uploadRoute, fileRoute],
  nextAlarm: nextReclaim,
  onAlarm: runReclaim,
  onNodeDeleted(doc, nodeId, sql) {
    const shown = shownBy(doc, nodeId);
    imagesOf(doc).delete(nodeId);
    // A hint of when to look: another node may show the same image (a paste), which the sweep sees.
    if (sql && shown) markUnreferenced(sql, [shown], Date.now());
  },
  onProjectDeleted(host, project) {
    const keys = forgetProject(host.sql, project).map((id) => objectKey(host.org, { project, id }));
    if (keys.length > 0) void host.blobs?.delete(keys).catch((error: unknown) => console.error(`images: deleting ${keys.length} images of project ${project} failed`, error));
  },
  events: {
    create: defineEvent({
      schema: CreateImageSchema,
      permission: () => CREATE,
      reduce: (ctx, p) => {
        checkPlace(ctx.doc, p);
        // On the gateway, only an image uploaded to this project, as it was recorded; a browser running the reducer ahead trusts its own upload.
        const known = ctx.sql && ctx.project !== undefined ? storedImage(ctx.sql, ctx.project, p.image.id) : p.image;
        if (!known) throw new EventError("not_found", "This image was not uploaded to this project: upload the file here again.");
        const record: ImageRecord = { image: known.id, type: known.type, width: known.width, height: known.height };
        const node = newNode(ctx, "image", chooseNodeId(ctx, p.id));
        const sql = ctx.sql;
        return () => {
          nodesOf(ctx.doc).set(node.id, node);
          imagesOf(ctx.doc).set(node.id, record);
          placeAsAsked(ctx.doc, node.id, p, placedSize(record));
          if (sql) markReferenced(sql, [known.id]);
        };
      },
    }),
    reclaim: reclaimEvent,
  },
} satisfies ModuleDefinition;
