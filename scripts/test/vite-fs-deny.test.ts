/**
 * The dev server must not hand out `npm start`'s local state: Vite serves any file of the
 * repository through `/@fs/`, and `.kiln/` holds the gateway's signing key and the database.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ViteDevServer } from "vite";
import { findFreePort } from "../local/ports";
import { startWebServer } from "../local/web-server";

const root = resolve(import.meta.dirname, "../..");
const SECRET = "not-for-the-browser";

let scratch: string;
let server: ViteDevServer;
let base: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  // Inside the repository (node_modules is ignored by git), where Vite's /@fs/ would reach.
  await mkdir(join(root, "node_modules/.cache"), { recursive: true });
  scratch = await mkdtemp(join(root, "node_modules/.cache/vite-fs-deny-"));
  files.kiln = join(scratch, ".kiln/jwt-private-key.json");
  files.postgres = join(scratch, ".kiln/postgres/PG_VERSION");
  files.dataDir = join(scratch, "elsewhere/data/jwt-private-key.json");
  files.plain = join(scratch, "public/readme.txt");
  // One of Vite's own denials, which setting fs.deny must not drop.
  files.env = join(scratch, "public/.env");
  for (const [name, path] of Object.entries(files)) {
    await mkdir(resolve(path, ".."), { recursive: true });
    await writeFile(path, name === "plain" ? "hello" : SECRET);
  }
  const port = await findFreePort();
  // As `npm start` with KILN_DATA_DIR pointing at a folder not named .kiln.
  server = await startWebServer({ port, dataDir: join(scratch, "elsewhere/data") });
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Fetches `/@fs/<absolute path>` with an optional query (Vite's ?raw and ?import reach files too). */
const viaFs = (path: string, query = "") => fetch(`${base}/@fs${path}${query}`);

describe("the Vite dev server", () => {
  it("serves an ordinary file of the repository through /@fs/", async () => {
    const res = await viaFs(files.plain!);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("hello");
  });

  it.each(["kiln", "postgres", "dataDir", "env"])("refuses the %s file, also as ?raw and ?import", async (name) => {
    for (const query of ["", "?raw", "?import", "?import&raw"]) {
      const res = await viaFs(files[name]!, query);
      const body = await res.text();
      expect([403, 404], `${name}${query}: ${res.status}`).toContain(res.status);
      expect(body, `${name}${query}`).not.toContain(SECRET);
    }
  });
});
