/**
 * The images a project's members uploaded, in the module's own table: which project each
 * belongs to, its type and size as read from its bytes, and where it is in its life. The bytes
 * are in the org's bucket under `{org}/{project}/{id}`; the key is built here from the row, never
 * from a client's words. Every row counts against the org's quota (quota.ts), whatever its state:
 * - `uploading`: its bytes are on their way to the bucket (the quota is reserved before the put);
 * - `stored`: its bytes are in the bucket; only these are served and placed;
 * - `deleting`: reclaimed (reclaim.ts), its bytes being deleted; the row goes once they are.
 */
import type { ModuleSql } from "../kit";
import { IMAGE_TYPES, type ImageType } from "./sniff";

/** The module's table, created once per org gateway; the later steps added the life of a row. */
export const MIGRATIONS = [
  `create table images_objects (
    id text primary key,
    project text not null,
    type text not null,
    width integer not null,
    height integer not null,
    bytes integer not null,
    created_by text not null,
    created_at integer not null
  )`,
  "create index images_objects_project on images_objects (project)",
  "alter table images_objects add column state text not null default 'stored'",
  // When no node was last known to show it (null: one did when last looked); reclaim.ts.
  "alter table images_objects add column unreferenced_since integer",
  // Images uploaded before there was reclaiming: each is looked for in its project's doc once, a
  // grace period from now (a node deleted just before is still undone within it).
  "update images_objects set unreferenced_since = cast(strftime('%s', 'now') as integer) * 1000",
  "create index images_objects_unreferenced on images_objects (unreferenced_since)",
  // When a reclaimed image's bytes were last sent to be deleted (retried if its row is still here later).
  "alter table images_objects add column deleting_at integer",
  "create index images_objects_deleting on images_objects (deleting_at)",
];

/** An uploaded image's id: 16 characters of base64url (kit.ts `newRecordId`). */
export const OBJECT_ID = /^[A-Za-z0-9_-]{16}$/;

export interface StoredImage {
  id: string;
  project: string;
  type: ImageType;
  width: number;
  height: number;
  bytes: number;
}

/** The bucket key of an image: org, project, id. */
export const objectKey = (org: string, image: Pick<StoredImage, "project" | "id">) => `${org}/${image.project}/${image.id}`;

type Row = { id: string; project: string; type: string; width: number; height: number; bytes: number };

/** The stored image `id` of `project`, or null (another project's image, one still uploading or reclaimed, is not this one's). */
export function storedImage(sql: ModuleSql, project: string, id: string): StoredImage | null {
  if (!OBJECT_ID.test(id)) return null;
  const row = sql.exec<Row>("select id, project, type, width, height, bytes from images_objects where id = ? and project = ? and state = 'stored'", id, project).toArray()[0];
  if (!row || !(IMAGE_TYPES as readonly string[]).includes(row.type)) return null;
  return { ...row, type: row.type as ImageType };
}

/**
 * Reserves an upload's place before its bytes are sent: counted in the quota at once, so uploads
 * running side by side cannot together pass it. Not placed yet, it is reclaimable from `now`.
 */
export function reserveImage(sql: ModuleSql, image: StoredImage, by: string, now: number): void {
  sql.exec(
    "insert into images_objects (id, project, type, width, height, bytes, created_by, created_at, state, unreferenced_since) values (?, ?, ?, ?, ?, ?, ?, ?, 'uploading', ?)",
    image.id,
    image.project,
    image.type,
    image.width,
    image.height,
    image.bytes,
    by,
    now,
    now,
  );
}

/** Its bytes are stored: the image may be served and placed. False when its row is gone meanwhile (its project was deleted). */
export function storeImage(sql: ModuleSql, id: string): boolean {
  if (sql.exec("select id from images_objects where id = ? and state = 'uploading'", id).toArray().length === 0) return false;
  sql.exec("update images_objects set state = 'stored' where id = ?", id);
  return true;
}

/** Marks images as shown by a node (a placement); the reclaiming sweep leaves them alone. */
export function markReferenced(sql: ModuleSql, ids: readonly string[]): void {
  if (ids.length > 0) sql.exec("update images_objects set unreferenced_since = null where id in (select value from json_each(?))", JSON.stringify(ids));
}

/** Marks images no longer shown by some node from `now` (another node may still show them: the sweep looks). */
export function markUnreferenced(sql: ModuleSql, ids: readonly string[], now: number): void {
  if (ids.length > 0) sql.exec("update images_objects set unreferenced_since = ? where id in (select value from json_each(?)) and unreferenced_since is null and state = 'stored'", now, JSON.stringify(ids));
}

/** Marks images reclaimed: no longer served or placeable, their bytes to be deleted (sent at `now`); no longer due. */
export function markDeleting(sql: ModuleSql, ids: readonly string[], now: number): void {
  if (ids.length > 0) sql.exec("update images_objects set state = 'deleting', deleting_at = ?, unreferenced_since = null where id in (select value from json_each(?))", now, JSON.stringify(ids));
}

/** Forgets reclaimed images whose bytes are deleted: their quota is free. */
export function forgetDeleted(sql: ModuleSql, ids: readonly string[]): void {
  if (ids.length > 0) sql.exec("delete from images_objects where id in (select value from json_each(?)) and state = 'deleting'", JSON.stringify(ids));
}

/** Forgets a project's images, returning their ids (their bytes are the caller's to delete). */
export function forgetProject(sql: ModuleSql, project: string): string[] {
  const ids = sql.exec<{ id: string }>("select id from images_objects where project = ?", project).toArray().map((r) => r.id);
  sql.exec("delete from images_objects where project = ?", project);
  return ids;
}
