/** The modules' object store (kit.ts `BlobStore`) over an R2 bucket: the only place that speaks R2. */
import type { BlobStore } from "../modules/kit";

/** A blob store writing to and reading from `bucket`. */
export function r2Blobs(bucket: R2Bucket): BlobStore {
  return {
    put: async (key, bytes, contentType) => {
      await bucket.put(key, bytes, { httpMetadata: { contentType } });
    },
    get: async (key) => {
      const object = await bucket.get(key);
      if (!object) return null;
      return { bytes: new Uint8Array(await object.arrayBuffer()), contentType: object.httpMetadata?.contentType ?? "application/octet-stream" };
    },
    delete: async (keys) => {
      // R2 deletes at most 1000 keys per call.
      for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
    },
  };
}
