/**
 * Sending an image file to the gateway (`POST /gw/{org}/m/images/upload`), with progress. What
 * is accepted is the gateway's to say (it reads the bytes); a file over the limit is refused here
 * first, so a person is not kept waiting for 50 MB to be sent and turned away.
 */
import { MAX_IMAGE_BYTES, type UploadedImage, UploadedImageSchema, imageUploadUrl } from "../../../../protocol/images";
import type { BoardPlace } from "../../board/store";

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;

/** Why a file cannot be uploaded before sending it (too big), or null. */
export function refusedBeforeUpload(file: { name: string; size: number }): string | null {
  if (file.size > MAX_IMAGE_BYTES) return `${file.name} is ${megabytes(file.size)}: images up to ${megabytes(MAX_IMAGE_BYTES)} are accepted.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

/** The gateway's sentence from an error answer, else a plain one with the status. */
export function errorMessage(status: number, text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    const message = (parsed as { error?: { message?: unknown } } | null)?.error?.message;
    if (typeof message === "string") return message;
  } catch {
    // not JSON: a proxy's page
  }
  return status === 0 ? "The upload was cut off: check the connection and try again." : `The upload failed (HTTP ${status}).`;
}

/** Uploads `file` to the project, calling `progress` with the fraction sent; rejects with the reason in words. */
export function uploadImage(place: BoardPlace, file: Blob, progress: (fraction: number) => void): Promise<UploadedImage> {
  return new Promise((resolve, reject) => {
    // XMLHttpRequest, not fetch: only it reports upload progress.
    const request = new XMLHttpRequest();
    request.open("POST", imageUploadUrl(place.org, place.project));
    request.setRequestHeader("content-type", file.type || "application/octet-stream");
    request.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
    request.onerror = () => reject(new Error(errorMessage(0, "")));
    request.onload = () => {
      if (request.status !== 201) return reject(new Error(errorMessage(request.status, request.responseText)));
      const parsed = UploadedImageSchema.safeParse(JSON.parse(request.responseText));
      if (!parsed.success) return reject(new Error("The gateway answered the upload with something unexpected."));
      resolve(parsed.data);
    };
    request.send(file);
  });
}
