/**
 * How many bytes of images an organization may keep in the bucket. Every row of the module's
 * table counts (objects.ts): an upload on its way (reserved before its put), a stored image, a
 * reclaimed one whose bytes are not deleted yet. Reclaimed bytes free the quota once deleted.
 */
import type { ModuleSql } from "../kit";
import { GRACE_DAYS } from "./reclaim";

/** An org's images may take 1 GiB: thousands of photos, and a bound on what one org costs in R2. */
export const QUOTA_BYTES = 1024 ** 3;

/** The bytes the org's images take now, reservations included. */
export function usedBytes(sql: ModuleSql): number {
  return sql.exec<{ used: number }>("select coalesce(sum(bytes), 0) as used from images_objects").toArray()[0]?.used ?? 0;
}

/** A size in words: KB, MB or GB (of 1024), cut (not rounded) to its digits: 1023.96 MB is never "1024 MB". */
export function size(bytes: number): string {
  const [amount, unit, digits] = bytes >= 1024 ** 3 ? [bytes / 1024 ** 3, "GB", 2] : bytes >= 1024 ** 2 ? [bytes / 1024 ** 2, "MB", 1] : [bytes / 1024, "KB", 1];
  return `${Math.floor(amount * 10 ** digits) / 10 ** digits} ${unit}`;
}

/** Why an upload of `bytes` is refused with `used` of `limit` taken, or null when it fits. */
export function quotaRefusal(used: number, bytes: number, limit = QUOTA_BYTES): string | null {
  if (used + bytes <= limit) return null;
  return (
    `Your organization's images take ${size(used)} of the ${size(limit)} it may store (${size(Math.max(0, limit - used))} left), and this one is ${size(bytes)}. ` +
    `Delete images you no longer need from the boards: their space is freed ${GRACE_DAYS} days later (undo works until then).`
  );
}
