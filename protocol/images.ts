/** Images on the board: the upload's limit and answer, shared by the gateway's images module and the web app. */
import { z } from "zod";

/** The largest image accepted, in bytes: 10 MiB holds any photo a phone takes, and stays far under the gateway's 32 MiB call limit. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** The image types accepted, as read from the bytes (never SVG: it can carry script). */
export const ImageTypeSchema = z.enum(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** An uploaded image, as `POST /gw/{org}/m/images/upload?project=` answers: what `images:create` places. */
export const UploadedImageSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
  type: ImageTypeSchema,
  width: z.int().min(1),
  height: z.int().min(1),
  bytes: z.int().min(1),
});
export type UploadedImage = z.infer<typeof UploadedImageSchema>;

/** Where the browser loads an image from (same origin: the session cookie goes with it). */
export const imageUrl = (org: string, project: string, id: string) => `/gw/${org}/m/images/file?project=${encodeURIComponent(project)}&id=${encodeURIComponent(id)}`;

/** Where an image is uploaded to. */
export const imageUploadUrl = (org: string, project: string) => `/gw/${org}/m/images/upload?project=${encodeURIComponent(project)}`;
