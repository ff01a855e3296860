/**
 * Images on the board through the real worker, gateway, R2 (miniflare's) and Postgres: who may
 * upload and see an image, what is accepted (by its bytes), how it is served, the size limit
 * whatever the request claims, the bytes going with their project, reclaiming what no node shows
 * once its grace period is over (the org's alarm, run as the gateway runs it; time passes by
 * ageing the table's marks), and the org's quota, under uploads side by side too.
 */
import { SELF, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import { MAX_IMAGE_BYTES, type UploadedImage } from "../../protocol/images";
import { migrateModules } from "../../gateway-do/src/host/module-storage";
import { images } from "../../gateway-do/src/modules/images";
import { MIGRATIONS } from "../../gateway-do/src/modules/images/objects";
import { QUOTA_BYTES } from "../../gateway-do/src/modules/images/quota";
import { GRACE_MS, RECLAIM_BATCH, RETRY_MS } from "../../gateway-do/src/modules/images/reclaim";
import { sniffImage } from "../../gateway-do/src/modules/images/sniff";
import { type ApiError, type Client, ORIGIN, call, expectJson, newClient, signUp } from "./helpers";
import { gifHeader, jpegHeader, png, webpHeader } from "./image-files";
import { createOrg, createProject, joinOrg, orgWithRoles } from "./org-helpers";

const uploadPath = (org: string, project: string) => `/gw/${org}/m/images/upload?project=${project}`;
const filePath = (org: string, project: string, id: string) => `/gw/${org}/m/images/file?project=${project}&id=${encodeURIComponent(id)}`;
const eventsPath = (org: string, project: string) => `/gw/${org}/projects/${project}/events`;

/** Uploads `body` as the browser does (its cookie, our Origin), with the content type it claims. */
function upload(client: Client, path: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  const sent: Record<string, string> = { "cf-connecting-ip": client.ip, origin: ORIGIN, "content-type": "image/png", ...headers };
  if (client.cookie) sent.cookie = client.cookie;
  return SELF.fetch(`${ORIGIN}${path}`, { method: "POST", headers: sent, body });
}

const red = () => [220, 40, 40] as [number, number, number];

async function errorOf(res: Response): Promise<ApiError["error"]> {
  return (await res.json<ApiError>()).error;
}

describe("image uploads", () => {
  it("stores a member's PNG under org/project/id and serves it back with its type, nosniff and a CSP", async () => {
    const { org, owner, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const bytes = await png(30, 20, red);
    const uploaded = await expectJson<UploadedImage>(upload(member.client, uploadPath(org.id, project.id), bytes), 201);
    expect(uploaded).toMatchObject({ type: "image/png", width: 30, height: 20, bytes: bytes.length });
    expect(uploaded.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // The key is the org's, the project's and a fresh id: nothing the client sent.
    const stored = await env.IMAGES.get(`${org.id}/${project.id}/${uploaded.id}`);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(bytes);

    const res = await call(owner.client, filePath(org.id, project.id, uploaded.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("cache-control")).toMatch(/^private/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("reads the type and size from the bytes: JPEG, GIF and WebP too, whatever Content-Type says", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    for (const [bytes, type, width, height] of [
      [jpegHeader(640, 480), "image/jpeg", 640, 480],
      [gifHeader(12, 7), "image/gif", 12, 7],
      [webpHeader(300, 200), "image/webp", 300, 200],
    ] as const) {
      // Sent as text/html: the stored type is what the bytes are.
      const uploaded = await expectJson<UploadedImage>(upload(owner.client, uploadPath(org.id, project.id), bytes, { "content-type": "text/html" }), 201);
      expect(uploaded).toMatchObject({ type, width, height });
      const res = await call(owner.client, filePath(org.id, project.id, uploaded.id));
      expect(res.headers.get("content-type")).toBe(type);
      await res.arrayBuffer();
    }
  });

  it("refuses SVG, HTML claiming to be a PNG, and damaged headers, saying why", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const svg = new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    let res = await upload(owner.client, uploadPath(org.id, project.id), svg, { "content-type": "image/svg+xml" });
    expect(res.status).toBe(415);
    expect(await errorOf(res)).toMatchObject({ code: "svg_refused", message: expect.stringContaining("SVG") });

    res = await upload(owner.client, uploadPath(org.id, project.id), new TextEncoder().encode("<html><script>alert(1)</script></html>"), { "content-type": "image/png" });
    expect(res.status).toBe(415);
    expect(await errorOf(res)).toMatchObject({ code: "unsupported_type", message: expect.stringContaining("PNG, JPEG, GIF or WebP") });

    // A PNG signature with no IHDR after it.
    res = await upload(owner.client, uploadPath(org.id, project.id), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new TextEncoder().encode("<html>hi</html>........")]));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("invalid_image");

    res = await upload(owner.client, uploadPath(org.id, project.id), new Uint8Array(0));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("empty_file");
  });

  it("serves a real PNG with HTML inside as image/png, never as a page", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const polyglot = await png(4, 4, red, new TextEncoder().encode("<html><body><script>fetch('/api/me')</script></body></html>"));
    const uploaded = await expectJson<UploadedImage>(upload(owner.client, uploadPath(org.id, project.id), polyglot, { "content-type": "text/html" }), 201);
    const res = await call(owner.client, filePath(org.id, project.id, uploaded.id), { headers: { accept: "text/html" } });
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/sandbox/);
    await res.arrayBuffer();
  });

  it("refuses a file over the limit, with an honest or a lying Content-Length, and with none", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const big = await png(8, 8, red, new Uint8Array(MAX_IMAGE_BYTES));
    let res = await upload(owner.client, uploadPath(org.id, project.id), big);
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: "too_large", message: "The file is over 10 MB." });

    const chunked = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < big.length; at += 1 << 20) controller.enqueue(big.subarray(at, at + (1 << 20)));
          controller.close();
        },
      });
    // No Content-Length (a stream), and a Content-Length claiming 1000 bytes in front of 10 MB: the bytes read count.
    for (const headers of [{}, { "content-length": "1000" }] as Record<string, string>[]) {
      res = await upload(owner.client, uploadPath(org.id, project.id), chunked(), headers);
      expect(res.status, JSON.stringify(headers)).toBe(413);
      expect((await errorOf(res)).code).toBe("too_large");
    }
    const listed = await env.IMAGES.list({ prefix: `${org.id}/` });
    expect(listed.objects).toEqual([]);

    // Exactly at the limit is accepted.
    const atLimit = await png(8, 8, red);
    const padded = await png(8, 8, red, new Uint8Array(MAX_IMAGE_BYTES - atLimit.length - 12 - 8));
    expect(padded.length).toBe(MAX_IMAGE_BYTES);
    await expectJson(upload(owner.client, uploadPath(org.id, project.id), padded), 201);
  });

  it("keeps concurrent uploads apart: each its own id and its own bytes", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const files = await Promise.all(Array.from({ length: 8 }, (_, i) => png(10 + i, 10, () => [i * 30, 0, 0])));
    const uploads = await Promise.all(files.map((bytes) => expectJson<UploadedImage>(upload(owner.client, uploadPath(org.id, project.id), bytes), 201)));
    expect(new Set(uploads.map((u) => u.id)).size).toBe(8);
    for (const [i, u] of uploads.entries()) {
      expect(u.width).toBe(10 + i);
      const res = await call(owner.client, filePath(org.id, project.id, u.id));
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(files[i]);
    }
  });
});

describe("who may upload and see images", () => {
  it("lets a viewer see but not upload, and a project outsider, another org's member or a stranger neither", async () => {
    const { org, owner, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const closed = await createProject(owner.client, org.id, "members");
    const viewer = await joinOrg(owner.client, org.id, "member");
    const role = await expectJson<{ result: { roleId: string } }>(call(owner.client, eventsPath(org.id, project.id), { body: { type: "roles:create-role", requestId: "r", name: "Viewer", permissions: ["*:read"] } }), 200);
    await expectJson(call(owner.client, eventsPath(org.id, project.id), { body: { type: "roles:assign", requestId: "a", userId: viewer.user.id, roleIds: [role.result.roleId] } }), 200);

    const bytes = await png(6, 6, red);
    const image = await expectJson<UploadedImage>(upload(member.client, uploadPath(org.id, project.id), bytes), 201);
    const url = filePath(org.id, project.id, image.id);

    let res = await upload(viewer.client, uploadPath(org.id, project.id), bytes);
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: "forbidden", message: expect.stringContaining("images:create") });
    expect((await call(viewer.client, url)).status).toBe(200);
    // Nor place one someone else uploaded.
    const place = { type: "images:create", requestId: "v1", viewId: "main", image: { id: image.id, type: image.type, width: image.width, height: image.height } };
    res = await call(viewer.client, eventsPath(org.id, project.id), { body: place });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("forbidden");

    // An org member kept out of a members-only project: it does not exist, for them.
    const inClosed = await expectJson<UploadedImage>(upload(owner.client, uploadPath(org.id, closed.id), bytes), 201);
    res = await call(member.client, filePath(org.id, closed.id, inClosed.id));
    expect(res.status).toBe(404);
    expect((await upload(member.client, uploadPath(org.id, closed.id), bytes)).status).toBe(404);

    // Another org's owner: not at this org's URL, nor through their own org's gateway.
    const outsider = await signUp();
    const theirOrg = await createOrg(outsider.client);
    const theirProject = await createProject(outsider.client, theirOrg.id, "org");
    expect((await call(outsider.client, url)).status).toBe(404);
    expect((await call(outsider.client, filePath(theirOrg.id, project.id, image.id))).status).toBe(404);
    expect((await call(outsider.client, filePath(theirOrg.id, theirProject.id, image.id))).status).toBe(404);
    expect((await upload(outsider.client, uploadPath(org.id, project.id), bytes)).status).toBe(404);
    // Nobody signed in.
    expect((await call(newClient(), url)).status).toBe(401);
    expect((await upload(newClient(), uploadPath(org.id, project.id), bytes)).status).toBe(401);
  });

  it("refuses forged ids and paths, and an image of one project asked for in another", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const other = await createProject(owner.client, org.id, "org");
    const image = await expectJson<UploadedImage>(upload(owner.client, uploadPath(org.id, project.id), await png(5, 5, red)), 201);
    for (const id of ["../" + image.id, `${org.id}/${project.id}/${image.id}`, "..%2F..%2Fx", image.id + "x"]) {
      const res = await call(owner.client, filePath(org.id, project.id, id));
      expect(res.status, id).toBe(400);
      expect((await errorOf(res)).code).toBe("invalid_id");
    }
    for (const path of [`/gw/${org.id}/m/images/file/../../m/images/file?project=${project.id}&id=${image.id}`, `/gw/${org.id}/m/images/${image.id}`, `/gw/${org.id}/m/images/file/${project.id}/${image.id}`]) {
      const res = await call(owner.client, path);
      expect(res.headers.get("content-type"), path).not.toBe("image/png");
      await res.arrayBuffer();
    }
    expect((await call(owner.client, filePath(org.id, other.id, image.id))).status).toBe(404);
  });
});

describe("image nodes", () => {
  it("places an uploaded image with the gateway's record of it, and refuses one from elsewhere", async () => {
    const { org, owner, member } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const other = await createProject(owner.client, org.id, "org");
    const image = await expectJson<UploadedImage>(upload(member.client, uploadPath(org.id, project.id), await png(40, 10, red)), 201);
    // Lies about its size and type are overridden by what was read from the bytes.
    const placed = { type: "images:create", requestId: "p1", viewId: "main", x: 10, y: 20, image: { id: image.id, type: "image/gif", width: 1, height: 1 } };
    await expectJson(call(member.client, eventsPath(org.id, project.id), { body: placed }), 200);
    // The same stored image again (a paste): fine.
    await expectJson(call(member.client, eventsPath(org.id, project.id), { body: { ...placed, requestId: "p2" } }), 200);
    let res = await call(member.client, eventsPath(org.id, other.id), { body: { ...placed, requestId: "p3" } });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toMatch(/upload the file here again/);
    res = await call(member.client, eventsPath(org.id, project.id), { body: { ...placed, requestId: "p4", image: { ...placed.image, id: "AAAAAAAAAAAAAAAA" } } });
    expect(res.status).toBe(404);
  });

  it("deletes a project's images with the project", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const image = await expectJson<UploadedImage>(upload(owner.client, uploadPath(org.id, project.id), await png(5, 5, red)), 201);
    const key = `${org.id}/${project.id}/${image.id}`;
    expect(await env.IMAGES.head(key)).not.toBeNull();
    expect((await call(owner.client, `/api/orgs/${org.id}/projects/${project.id}`, { method: "DELETE" })).status).toBe(204);
    await expect.poll(async () => env.IMAGES.head(key), { timeout: 5000 }).toBeNull();
  });
});

const DAY = 24 * 60 * 60_000;

/** The org gateway's images table, as the tests read and age it. */
type Row = { id: string; project: string; state: string; bytes: number; unreferenced_since: number | null };
const gatewayOf = (org: string) => getServerByName(env.GATEWAY, org);
async function imageRows(org: string): Promise<Map<string, Row>> {
  const rows = await runInDurableObject(await gatewayOf(org), (_i, state) => state.storage.sql.exec<Row>("select id, project, state, bytes, unreferenced_since from images_objects").toArray());
  return new Map(rows.map((r) => [r.id, r]));
}
/** Time passing for the images named: their "unshown since" marks move `ms` into the past. */
async function age(org: string, ids: readonly string[], ms: number): Promise<void> {
  await runInDurableObject(await gatewayOf(org), (_i, state) => {
    state.storage.sql.exec("update images_objects set unreferenced_since = unreferenced_since - ? where id in (select value from json_each(?))", ms, JSON.stringify(ids));
  });
}
/** The org's alarm, run now as the runtime would (set for later first, so it cannot fire by itself meanwhile). */
async function sweep(org: string): Promise<void> {
  const stub = await gatewayOf(org);
  await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now() + 60_000));
  expect(await runDurableObjectAlarm(stub)).toBe(true);
}
/** An id such as an upload gets. */
const newImageId = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[b & 63]).join("");
/** A stored image of `bytes` the test makes up (no upload: a gigabyte would take too long), shown by a node unless `unshownSince`. */
async function fill(org: string, project: string, bytes: number, options: { unshownSince?: number; state?: string; deletingAt?: number } = {}): Promise<string> {
  const id = newImageId();
  await runInDurableObject(await gatewayOf(org), (_i, state) => {
    state.storage.sql.exec(
      "insert into images_objects (id, project, type, width, height, bytes, created_by, created_at, state, unreferenced_since, deleting_at) values (?, ?, 'image/png', 1, 1, ?, 'test', ?, ?, ?, ?)",
      id,
      project,
      bytes,
      Date.now(),
      options.state ?? "stored",
      options.unshownSince ?? null,
      options.deletingAt ?? null,
    );
  });
  return id;
}
const usedBytes = async (org: string) => [...(await imageRows(org)).values()].reduce((n, r) => n + r.bytes, 0);

/** Places the uploaded `image` as node `nodeId` (an undo of its delete places it again under the same id). */
async function place(client: Client, org: string, project: string, image: UploadedImage, nodeId: string): Promise<Response> {
  const { id, type, width, height } = image;
  return call(client, eventsPath(org, project), { body: { type: "images:create", requestId: crypto.randomUUID(), id: nodeId, viewId: "main", image: { id, type, width, height } } });
}
async function deleteNodes(client: Client, org: string, project: string, nodeIds: string[]): Promise<void> {
  await expectJson(call(client, eventsPath(org, project), { body: { type: "core-graph:delete-nodes", requestId: crypto.randomUUID(), nodeIds } }), 200);
}

describe("reclaiming images no node shows", () => {
  it("deletes an image unshown for the grace period and keeps the shown, the pasted and the recently unshown; its URL then answers 404", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const send = async (shade: number) => expectJson<UploadedImage>(upload(owner.client, uploadPath(org.id, project.id), await png(6, 6, () => [shade, 0, 0])), 201);
    const [shown, pasted, neverPlaced, unshown, undone, recent] = [await send(10), await send(20), await send(30), await send(40), await send(50), await send(60)];
    for (const [image, node] of [[shown, "n-shown"], [pasted, "n-pasted"], [pasted, "n-pasted-copy"], [unshown, "n-unshown"], [undone, "n-undone"], [recent, "n-recent"]] as const) {
      await expectJson(place(owner.client, org.id, project.id, image, node), 200);
    }
    // Placing clears an upload's mark; deleting a node marks its image (even one another node still shows: the copy of the paste).
    await deleteNodes(owner.client, org.id, project.id, ["n-pasted", "n-unshown", "n-undone"]);
    await expectJson(place(owner.client, org.id, project.id, undone, "n-undone"), 200); // undo of the delete, within the grace period
    // Only the module's alarm reclaims: a member sending its event is refused.
    const forged = await call(owner.client, eventsPath(org.id, project.id), { body: { type: "images:reclaim", requestId: "f1", images: [neverPlaced.id] } });
    expect(forged.status).toBe(403);
    expect((await errorOf(forged)).code).toBe("forbidden");
    let rows = await imageRows(org.id);
    expect(rows.get(shown.id)!.unreferenced_since).toBeNull();
    for (const image of [pasted, neverPlaced, unshown]) expect(rows.get(image.id)!.unreferenced_since, image.id).toBeGreaterThan(Date.now() - 60_000);

    // A week and a day pass for all of them; then the last node showing `recent` goes.
    await age(org.id, [...rows.keys()], GRACE_MS + DAY);
    await deleteNodes(owner.client, org.id, project.id, ["n-recent"]);
    await sweep(org.id);

    const key = (image: UploadedImage) => `${org.id}/${project.id}/${image.id}`;
    for (const gone of [neverPlaced, unshown]) {
      const res = await call(owner.client, filePath(org.id, project.id, gone.id));
      expect(res.status, gone.id).toBe(404);
      expect((await errorOf(res)).code).toBe("not_found");
      await expect.poll(() => env.IMAGES.head(key(gone)), { timeout: 5000 }).toBeNull();
    }
    await expect.poll(async () => [...(await imageRows(org.id)).keys()].sort(), { timeout: 5000 }).toEqual([shown.id, pasted.id, undone.id, recent.id].sort());
    for (const kept of [shown, pasted, undone, recent]) {
      const res = await call(owner.client, filePath(org.id, project.id, kept.id));
      expect(res.status, kept.id).toBe(200);
      await res.arrayBuffer();
      expect(await env.IMAGES.head(key(kept))).not.toBeNull();
    }
    // What the doc shows is no longer due; a reclaimed image cannot be placed again (an undo past the grace period).
    rows = await imageRows(org.id);
    expect([pasted, undone].map((i) => rows.get(i.id)!.unreferenced_since)).toEqual([null, null]);
    const res = await place(owner.client, org.id, project.id, unshown, "n-unshown");
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toMatch(/upload the file here again/);

    // `recent` goes only once its own grace period is over: a minute short, then a minute past.
    await age(org.id, [recent.id], GRACE_MS - 60_000);
    await sweep(org.id);
    expect((await imageRows(org.id)).get(recent.id)!.state).toBe("stored");
    await age(org.id, [recent.id], 2 * 60_000);
    await sweep(org.id);
    await expect.poll(() => env.IMAGES.head(key(recent)), { timeout: 5000 }).toBeNull();
    expect((await call(owner.client, filePath(org.id, project.id, recent.id))).status).toBe(404);
  });

  it("looks at a bounded batch per alarm, the next alarm taking the rest, and sends a failed delete again", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const long = Date.now() - GRACE_MS - DAY;
    const due = await Promise.all(Array.from({ length: RECLAIM_BATCH + 3 }, () => fill(org.id, project.id, 10, { unshownSince: long })));
    // Reclaimed earlier, its delete lost (the gateway stopped): its bytes are still in the bucket.
    const lost = await fill(org.id, project.id, 10, { state: "deleting", deletingAt: Date.now() - RETRY_MS - 1 });
    for (const id of [...due, lost]) await env.IMAGES.put(`${org.id}/${project.id}/${id}`, "x");

    const stub = await gatewayOf(org.id);
    const left = await runInDurableObject(stub, async (instance, state) => {
      await state.storage.setAlarm(Date.now() + 60_000);
      await instance.alarm();
      // Read at once, before any other alarm can run: one batch was looked at, no more.
      return state.storage.sql.exec<{ n: number }>("select count(*) as n from images_objects where state = 'stored'").one().n;
    });
    expect(left).toBe(3);
    // The rest is due at once: the gateway's own alarm (or this one) takes it; every byte goes.
    await sweep(org.id).catch(() => undefined);
    await expect.poll(async () => (await imageRows(org.id)).size, { timeout: 10_000 }).toBe(0);
    expect((await env.IMAGES.list({ prefix: `${org.id}/` })).objects).toEqual([]);
    // Nothing left to do: no alarm for images (the room's own may remain).
    await sweep(org.id);
    expect((await imageRows(org.id)).size).toBe(0);
  });

  it("never reclaims an image of a project whose doc it cannot look in, and looks again a grace period later", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const orphan = await fill(org.id, "00000000-0000-4000-8000-000000000000", 10, { unshownSince: Date.now() - GRACE_MS - DAY });
    await fill(org.id, project.id, 10); // the org's gateway knows the project
    await sweep(org.id);
    const row = (await imageRows(org.id)).get(orphan)!;
    expect(row.state).toBe("stored");
    expect(row.unreferenced_since).toBeGreaterThan(Date.now() - 60_000);
  });

  it("images stored before reclaiming existed are each looked at once, a grace period after the gateway learned to reclaim", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const old = [newImageId(), newImageId()].sort();
    const rows = await runInDurableObject(await gatewayOf(org.id), (_i, state) => {
      const { sql } = state.storage;
      const transaction = (f: () => void) => state.storage.transactionSync(f);
      // The images table as it was before reclaiming (its first 3 migrations), holding two images.
      sql.exec("drop table images_objects");
      sql.exec("delete from module_migrations where module = 'images'");
      migrateModules(sql, [{ ...images, storage: { migrations: MIGRATIONS.slice(0, 3) } }], transaction);
      for (const id of old) sql.exec("insert into images_objects (id, project, type, width, height, bytes, created_by, created_at) values (?, ?, 'image/png', 1, 1, 10, 'test', 0)", id, project.id);
      const before = Date.now();
      migrateModules(sql, [images], transaction);
      return { before, after: Date.now(), rows: sql.exec<Row & { deleting_at: number | null }>("select id, project, state, bytes, unreferenced_since, deleting_at from images_objects order by id").toArray() };
    });
    expect(rows.rows.map((r) => [r.id, r.state, r.deleting_at])).toEqual(old.map((id) => [id, "stored", null]));
    for (const r of rows.rows) {
      // strftime('%s') has whole seconds.
      expect(r.unreferenced_since).toBeGreaterThanOrEqual(Math.floor(rows.before / 1000) * 1000);
      expect(r.unreferenced_since).toBeLessThanOrEqual(rows.after);
    }
    // Within the grace period a sweep keeps them; past it, no node shows them and they go.
    await sweep(org.id);
    expect([...(await imageRows(org.id)).values()].map((r) => r.state)).toEqual(["stored", "stored"]);
    await age(org.id, old, GRACE_MS + DAY);
    await sweep(org.id);
    await expect.poll(async () => [...(await imageRows(org.id)).keys()], { timeout: 5000 }).toEqual([]);
  });
});

describe("the org's quota", () => {
  it("refuses an upload past it before storing anything, with the code, what is used of what and what to do; every project counts", async () => {
    const { org, owner } = await orgWithRoles();
    const [first, second] = [await createProject(owner.client, org.id, "org"), await createProject(owner.client, org.id, "org")];
    const bytes = await png(8, 8, red, new Uint8Array(40_000));
    const filler = await fill(org.id, first.id, QUOTA_BYTES - bytes.length + 1);

    const res = await upload(owner.client, uploadPath(org.id, second.id), bytes);
    expect(res.status).toBe(507);
    const error = await errorOf(res);
    expect(error.code).toBe("quota_exceeded");
    const kb = (n: number) => `${Math.floor((n / 1024) * 10) / 10} KB`;
    expect(error.message).toBe(
      `Your organization's images take 1023.9 MB of the 1 GB it may store (${kb(bytes.length - 1)} left), and this one is ${kb(bytes.length)}. ` +
        "Delete images you no longer need from the boards: their space is freed 7 days later (undo works until then).",
    );
    expect((await env.IMAGES.list({ prefix: `${org.id}/` })).objects).toEqual([]);
    expect([...(await imageRows(org.id)).keys()]).toEqual([filler]);

    // Exactly at the quota fits.
    await runInDurableObject(await gatewayOf(org.id), (_i, state) => {
      state.storage.sql.exec("update images_objects set bytes = bytes - 1 where id = ?", filler);
    });
    await expectJson(upload(owner.client, uploadPath(org.id, second.id), bytes), 201);
    expect(await usedBytes(org.id)).toBe(QUOTA_BYTES);
  });

  it("lets uploads side by side near it take no more than it", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const bytes = await png(8, 8, red, new Uint8Array(200_000));
    const files = Array.from({ length: 8 }, () => bytes);
    const size = bytes.length;
    // Room for two and a half.
    await fill(org.id, project.id, QUOTA_BYTES - Math.floor(2.5 * size));
    const answers = await Promise.all(files.map((bytes) => upload(owner.client, uploadPath(org.id, project.id), bytes)));
    const statuses = answers.map((r) => r.status).sort();
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    expect(statuses).toEqual([201, 201, 507, 507, 507, 507, 507, 507]);
    expect(await usedBytes(org.id)).toBeLessThanOrEqual(QUOTA_BYTES);
    expect((await env.IMAGES.list({ prefix: `${org.id}/` })).objects).toHaveLength(2);
  });

  it("lets an upload in once reclaimed bytes freed the space", async () => {
    const { org, owner } = await orgWithRoles();
    const project = await createProject(owner.client, org.id, "org");
    const bytes = await png(8, 8, red, new Uint8Array(10_000));
    // Most of the quota, in images no node has shown for over a week.
    await fill(org.id, project.id, QUOTA_BYTES / 2, { unshownSince: Date.now() - GRACE_MS - DAY });
    await fill(org.id, project.id, QUOTA_BYTES / 2 - bytes.length + 1, { unshownSince: Date.now() - GRACE_MS - DAY });
    expect((await upload(owner.client, uploadPath(org.id, project.id), bytes)).status).toBe(507);
    await sweep(org.id);
    await expect.poll(() => usedBytes(org.id), { timeout: 5000 }).toBe(0);
    await expectJson(upload(owner.client, uploadPath(org.id, project.id), bytes), 201);
  });
});

describe("sniffImage", () => {
  it("refuses an image past the largest side, and SVG after a BOM or a comment", () => {
    expect(sniffImage(gifHeader(20_000, 10))).toMatchObject({ ok: false, code: "invalid_image" });
    expect(sniffImage(new TextEncoder().encode("\uFEFF  <svg/>"))).toMatchObject({ ok: false, code: "svg_refused" });
    expect(sniffImage(new TextEncoder().encode("<!-- x --><svg></svg>"))).toMatchObject({ ok: false, code: "svg_refused" });
    expect(sniffImage(jpegHeader(0, 10))).toMatchObject({ ok: false, code: "invalid_image" });
  });
});
