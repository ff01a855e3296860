/**
 * Images on the board through the real worker, gateway, R2 (miniflare's) and Postgres: who may
 * upload and see an image, what is accepted (by its bytes), how it is served, the size limit
 * whatever the request claims, and the bytes going with their project.
 */
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_IMAGE_BYTES, type UploadedImage } from "../../protocol/images";
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

describe("sniffImage", () => {
  it("refuses an image past the largest side, and SVG after a BOM or a comment", () => {
    expect(sniffImage(gifHeader(20_000, 10))).toMatchObject({ ok: false, code: "invalid_image" });
    expect(sniffImage(new TextEncoder().encode("\uFEFF  <svg/>"))).toMatchObject({ ok: false, code: "svg_refused" });
    expect(sniffImage(new TextEncoder().encode("<!-- x --><svg></svg>"))).toMatchObject({ ok: false, code: "svg_refused" });
    expect(sniffImage(jpegHeader(0, 10))).toMatchObject({ ok: false, code: "invalid_image" });
  });
});
