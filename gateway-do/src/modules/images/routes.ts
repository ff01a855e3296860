/**
 * Uploading and serving a project's images, for members the worker authenticated (checked
 * again here against the gateway's own membership and the project's permissions). Bytes go to
 * the org's bucket under a key built from the org, the project and a fresh id.
 */
import { MAX_IMAGE_BYTES } from "../../../../protocol/images";
import { isAllowed } from "../../permissions/permission";
import { type RouteAnswer, type RouteSpec, newRecordId } from "../kit";
import { OBJECT_ID, markDeleting, objectKey, reserveImage, storeImage, storedImage } from "./objects";
import { quotaRefusal, usedBytes } from "./quota";
import { deleteBytes } from "./reclaim";
import { sniffImage } from "./sniff";

/** The permission to add images to a project (upload and place them); members hold it, a read-only role does not. */
export const CREATE = "images:create";

const refuse = (status: number, code: string, message: string): RouteAnswer => ({ status, body: { error: { code, message } } });
const noProject = () => refuse(404, "not_found", "No such project, or you may not see it.");
/**
 * An upload past the org's quota: 507 Insufficient Storage, as WebDAV answers an exceeded quota
 * (RFC 4918 §11.5, RFC 4331). 413 already says "this file is over the per-file limit", which a
 * client fixes by sending a smaller file; here the org's storage is full, which freeing space
 * fixes, and 507 is a condition that passes (reclaimed bytes free it).
 */
export const QUOTA_STATUS = 507;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;

/**
 * What a stored image is served with: its own type, never sniffed into anything else, no
 * script or subresource of any kind even if opened on its own, and cached only by the browser
 * that was allowed to see it (the bytes under an id never change).
 */
export const SERVED_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; sandbox",
  "cache-control": "private, max-age=86400, immutable",
  "content-disposition": "inline",
  "cross-origin-resource-policy": "same-origin",
};

/** `POST /upload?project=` with the image as the raw body: checked by its bytes, stored, and described. */
export const uploadRoute: RouteSpec = {
  method: "POST",
  path: "/upload",
  principals: ["user"],
  bytes: MAX_IMAGE_BYTES,
  handle: async (host, request) => {
    const project = request.query.project ?? "";
    const grants = host.grants(request.principal.id, project);
    if (grants === null) return noProject();
    if (!isAllowed(grants, CREATE)) return refuse(403, "forbidden", "You may not add images to this project: ask a project admin for the images:create permission.");
    if (!host.blobs) return refuse(503, "storage_unavailable", "Image storage is not set up on this server (no IMAGES bucket).");
    const bytes = request.bytes;
    if (!bytes || bytes.byteLength === 0) return refuse(400, "empty_file", "Send the image file as the request body.");
    if (bytes.byteLength > MAX_IMAGE_BYTES) return refuse(413, "too_large", `The image is over ${mib(MAX_IMAGE_BYTES)}.`);
    const sniffed = sniffImage(bytes);
    if (!sniffed.ok) return refuse(sniffed.code === "invalid_image" ? 400 : 415, sniffed.code, sniffed.message);
    // Checked and reserved before the first await: uploads side by side each count the others' bytes.
    const quota = quotaRefusal(usedBytes(host.sql), bytes.byteLength);
    if (quota) return refuse(QUOTA_STATUS, "quota_exceeded", quota);
    const image = { id: newRecordId(), project, ...sniffed.image, bytes: bytes.byteLength };
    reserveImage(host.sql, image, request.principal.id, Date.now());
    try {
      await host.blobs.put(objectKey(host.org, image), bytes, image.type);
    } catch (error) {
      // Its reservation goes once the bytes are surely not there (a put that failed late may have written them).
      markDeleting(host.sql, [image.id], Date.now());
      deleteBytes(host, [image]);
      throw error;
    }
    // Served and placeable only once stored. Its project deleted meanwhile took the row: the bytes go too.
    if (!storeImage(host.sql, image.id)) {
      void host.blobs.delete([objectKey(host.org, image)]).catch((error: unknown) => console.error(`images: deleting an upload to deleted project ${project} failed`, error));
      return noProject();
    }
    return { status: 201, body: { id: image.id, type: image.type, width: image.width, height: image.height, bytes: image.bytes } };
  },
};

/** `GET /file?project=&id=`: the image's bytes, for anyone who may see the project. */
export const fileRoute: RouteSpec = {
  method: "GET",
  path: "/file",
  principals: ["user"],
  handle: async (host, request) => {
    const project = request.query.project ?? "";
    const id = request.query.id ?? "";
    if (host.grants(request.principal.id, project) === null) return noProject();
    if (!OBJECT_ID.test(id)) return refuse(400, "invalid_id", "An image id is 16 letters, digits, - or _.");
    const image = storedImage(host.sql, project, id);
    const stored = image && host.blobs ? await host.blobs.get(objectKey(host.org, image)) : null;
    if (!image || !stored) return refuse(404, "not_found", "This project has no such image.");
    // The type recorded at upload (what the bytes are), whatever the bucket says.
    return { status: 200, body: null, bytes: stored.bytes, headers: { ...SERVED_HEADERS, "content-type": image.type } };
  },
};
