/**
 * Reclaiming images no node shows: their bytes are deleted GRACE_DAYS after the last node
 * showing one went (or after an upload that was never placed), so an undo or a paste within that
 * time still finds them. The table's marks say only when to look (objects.ts); the project's doc
 * says what is shown. An image's key and row are its project's, and `images:create` places only an
 * image uploaded to the same project, so that one doc is all there is to look in.
 *
 * The module's alarm takes a batch of images due, and for each project runs `images:reclaim` as
 * the module: in one event (so no placement can slip in between) it looks in the doc, keeps what a
 * node shows and marks the rest deleting; their bytes are then deleted and their rows go. A batch
 * left over makes the alarm due at once; a delete that failed is sent again later. Running a
 * sweep twice does nothing twice.
 */
import { z } from "zod";
import { type HostContext, type ModuleSql, defineEvent } from "../kit";
import { OBJECT_ID, type StoredImage, forgetDeleted, markDeleting, markReferenced, objectKey } from "./objects";
import { IMAGES, shownImages } from "./records";

/** How long an image no node shows keeps its bytes: an undo or a paste a week later still works. */
export const GRACE_DAYS = 7;
export const GRACE_MS = GRACE_DAYS * 24 * 60 * 60_000;
/** Images looked at per alarm, at most: an alarm stays short whatever piled up, and the next one comes at once. */
export const RECLAIM_BATCH = 100;
/** A reclaimed image whose row is still here this long after its bytes' delete was sent (it failed, or the gateway stopped) is sent again. */
export const RETRY_MS = 10 * 60_000;

const SYSTEM = { kind: "system", id: IMAGES } as const;

const ReclaimResultSchema = z.strictObject({ reclaimed: z.array(z.string()), kept: z.array(z.string()) });

type Due = { id: string; project: string };

/** When the alarm is next needed: the first image to come due, or a delete to send again; null with no bucket. */
export function nextReclaim(host: HostContext): number | null {
  if (!host.blobs) return null;
  const row = host.sql
    .exec<{ due: number | null; retry: number | null }>(
      "select (select min(unreferenced_since) from images_objects) as due, (select min(deleting_at) from images_objects where state = 'deleting') as retry",
    )
    .toArray()[0];
  const times: number[] = [];
  if (typeof row?.due === "number") times.push(row.due + GRACE_MS);
  if (typeof row?.retry === "number") times.push(row.retry + RETRY_MS);
  return times.length === 0 ? null : Math.min(...times);
}

/** Looks again at `ids` a grace period from `now` (their project could not be looked in). */
function postpone(sql: ModuleSql, ids: readonly string[], now: number): void {
  sql.exec("update images_objects set unreferenced_since = ? where id in (select value from json_each(?)) and unreferenced_since is not null", now, JSON.stringify(ids));
}

/**
 * Runs `images:reclaim` for `ids` in `project`: the ids it reclaimed, or null when it could not
 * look (a project the gateway does not know, a refusal, a failure).
 */
function reclaimIn(host: HostContext, project: string, ids: readonly string[], known: ReadonlySet<string>): string[] | null {
  // A project the gateway does not know (yet): never judged unreferenced by a doc that is not there.
  if (!known.has(project)) return null;
  try {
    const outcome = host.runEvent(project, { type: "images:reclaim", images: ids }, SYSTEM);
    const result = outcome.ok ? ReclaimResultSchema.safeParse(outcome.result) : null;
    if (result?.success) return result.data.reclaimed;
    console.warn(`images: reclaiming in project ${project} was refused: ${outcome.error?.message ?? "an unexpected result"}`);
  } catch (error) {
    console.error(`images: reclaiming in project ${project} failed`, error);
  }
  return null;
}

/** The alarm: reclaims a batch of images due, and sends again the deletes of a batch left over. */
export function runReclaim(host: HostContext): void {
  if (!host.blobs) return;
  const due = host.sql.exec<Due>("select id, project from images_objects where unreferenced_since <= ? order by unreferenced_since limit ?", host.now - GRACE_MS, RECLAIM_BATCH).toArray();
  const byProject = new Map<string, Due[]>();
  for (const row of due) byProject.set(row.project, [...(byProject.get(row.project) ?? []), row]);
  const known = new Set(host.projects());
  const doomed: Due[] = [];
  for (const [project, rows] of byProject) {
    const ids = rows.map((r) => r.id);
    const reclaimed = reclaimIn(host, project, ids, known);
    if (reclaimed) doomed.push(...rows.filter((r) => reclaimed.includes(r.id)));
    else {
      // Looked at again a grace period later: left due, they would fire the alarm again at once.
      console.warn(`images: could not look for ${ids.length} images in project ${project}; looking again in ${GRACE_DAYS} days`);
      postpone(host.sql, ids, host.now);
    }
  }
  const stale = host.sql.exec<Due>("select id, project from images_objects where state = 'deleting' and deleting_at <= ? limit ?", host.now - RETRY_MS, RECLAIM_BATCH).toArray();
  markDeleting(host.sql, stale.map((r) => r.id), host.now);
  deleteBytes(host, [...doomed, ...stale]);
}

/** Deletes the bytes of images marked deleting, then their rows (whose quota is then free); a failure leaves the rows for a retry. */
export function deleteBytes(host: Pick<HostContext, "sql" | "org" | "blobs">, images: readonly Pick<StoredImage, "id" | "project">[]): void {
  if (images.length === 0 || !host.blobs) return;
  const ids = images.map((i) => i.id);
  // The alarm cannot wait for R2 (a module's alarm is synchronous): the rows go when the bucket says done.
  void host.blobs.delete(images.map((i) => objectKey(host.org, i))).then(
    () => forgetDeleted(host.sql, ids),
    (error: unknown) => console.error(`images: deleting ${ids.length} images failed; sent again in ${RETRY_MS / 60_000} minutes`, error),
  );
}

/** The payload of `images:reclaim`: images due, of the project it runs in. */
export const ReclaimSchema = z.strictObject({ images: z.array(z.string().regex(OBJECT_ID)).min(1).max(RECLAIM_BATCH) });

/**
 * `images:reclaim`, sent by the module's alarm only: of `images` (due, of this project), those a
 * node of the doc shows are kept (not due again until a node showing them goes), the others are
 * marked deleting. The doc is unchanged; the result says which went.
 */
export const reclaimEvent = defineEvent({
  schema: ReclaimSchema,
  principals: ["system"],
  // The module's one permission: the system principal holds `images:*`, and no person may send this (principals).
  permission: () => "images:create",
  reduce: (ctx, p) => {
    const sql = ctx.sql;
    if (!sql || ctx.project === undefined) return { change: () => {}, result: { reclaimed: [], kept: [] } };
    const due = sql
      .exec<{ id: string }>("select id from images_objects where project = ? and id in (select value from json_each(?)) and unreferenced_since <= ?", ctx.project, JSON.stringify(p.images), ctx.now - GRACE_MS)
      .toArray()
      .map((r) => r.id);
    const shown = shownImages(ctx.doc);
    if (shown === null) {
      console.warn(`images: project ${ctx.project} has an image record this code cannot read; reclaiming nothing there for ${GRACE_DAYS} days`);
      return { change: () => postpone(sql, due, ctx.now), result: { reclaimed: [], kept: [] } };
    }
    const kept = due.filter((id) => shown.has(id));
    const reclaimed = due.filter((id) => !shown.has(id));
    return {
      change: () => {
        markReferenced(sql, kept);
        markDeleting(sql, reclaimed, ctx.now);
      },
      result: { reclaimed, kept },
    };
  },
});
