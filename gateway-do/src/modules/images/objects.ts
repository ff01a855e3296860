/**
 * The images a project's members uploaded, in the module's own table: which project each
 * belongs to, its type and size as read from its bytes. The bytes are in the org's bucket under
 * `{org}/{project}/{id}`; the key is built here from the row, never from a client's words.
 */
import type { ModuleSql } from "../kit";
import { IMAGE_TYPES, type ImageType } from "./sniff";

/** The module's table, created once per org gateway. */
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

/** The image `id` uploaded in `project`, or null (another project's image is not this one's). */
export function storedImage(sql: ModuleSql, project: string, id: string): StoredImage | null {
  if (!OBJECT_ID.test(id)) return null;
  const row = sql.exec<Row>("select id, project, type, width, height, bytes from images_objects where id = ? and project = ?", id, project).toArray()[0];
  if (!row || !(IMAGE_TYPES as readonly string[]).includes(row.type)) return null;
  return { ...row, type: row.type as ImageType };
}

/** Records an upload whose bytes are stored. */
export function recordImage(sql: ModuleSql, image: StoredImage, by: string, now: number): void {
  sql.exec("insert into images_objects (id, project, type, width, height, bytes, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)", image.id, image.project, image.type, image.width, image.height, image.bytes, by, now);
}

/** Forgets a project's images, returning their ids (their bytes are the caller's to delete). */
export function forgetProject(sql: ModuleSql, project: string): string[] {
  const ids = sql.exec<{ id: string }>("select id from images_objects where project = ?", project).toArray().map((r) => r.id);
  sql.exec("delete from images_objects where project = ?", project);
  return ids;
}
