/** The images module's records in a project doc: an image node's stored picture, by node id. */
import type * as Y from "yjs";
import { z } from "zod";
import { ImageTypeSchema } from "../../../../protocol/images";
import { collection, defineRecord, readRecord } from "../kit";
import { OBJECT_ID } from "./objects";

export const IMAGES = "images";

const ImageRecordSchema = z.strictObject({
  /** The uploaded image (its id in the module's table and bucket). */
  image: z.string().regex(OBJECT_ID),
  type: ImageTypeSchema,
  /** Its size in pixels: the node keeps this aspect ratio. */
  width: z.int().min(1),
  height: z.int().min(1),
});
export type ImageRecord = z.infer<typeof ImageRecordSchema>;
export const ImageRecordType = defineRecord<ImageRecord>({ name: "image", version: 1, schema: ImageRecordSchema, up: [] });

/** Root map of image nodes' records, by node id. */
export const imagesOf = (doc: Y.Doc) => collection<ImageRecord>(doc, IMAGES, "images");

/** An image node's record, in its current shape; undefined when absent or unreadable. */
export const readImage = (doc: Y.Doc, nodeId: string): ImageRecord | undefined => readRecord(ImageRecordType, imagesOf(doc).get(nodeId), nodeId);

/**
 * The stored image node `nodeId` shows. A record that fails its schema but names an image still
 * counts for it: what is kept is never judged by a check that failed.
 */
export function shownBy(doc: Y.Doc, nodeId: string): string | undefined {
  const raw: unknown = imagesOf(doc).get(nodeId);
  const id = readRecord(ImageRecordType, raw, nodeId)?.image ?? (typeof raw === "object" && raw !== null && "image" in raw ? raw.image : undefined);
  return typeof id === "string" ? id : undefined;
}

/** The stored images the doc's nodes show, or null when a record names none it can read: then nothing can be said unreferenced. */
export function shownImages(doc: Y.Doc): Set<string> | null {
  const shown = new Set<string>();
  for (const nodeId of imagesOf(doc).keys()) {
    const id = shownBy(doc, nodeId);
    if (id === undefined) return null;
    shown.add(id);
  }
  return shown;
}
