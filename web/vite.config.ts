/**
 * Vite for the SPA. In `npm start` it proxies /api, /gw (WebSockets included) and
 * /.well-known to `wrangler dev`; `npm run build` writes web/dist, which the worker serves.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const workerUrl = process.env.KILN_WORKER_URL ?? "http://127.0.0.1:8787";

/** Serves the API reference's script from our own origin, so /api/docs works offline. */
function scalarBundle(): Plugin {
  const path = "vendor/scalar/standalone.js";
  const file = createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js");
  return {
    name: "kiln:scalar-bundle",
    configureServer(server) {
      server.middlewares.use(`/${path}`, (_req, res) => {
        void readFile(file).then((source) => {
          res.setHeader("content-type", "text/javascript; charset=utf-8");
          res.end(source);
        });
      });
    },
    async generateBundle() {
      this.emitFile({ type: "asset", fileName: path, source: await readFile(file) });
    },
  };
}

/**
 * Files the dev server never serves, not even through `/@fs/` (which reaches the whole
 * repository): Vite's defaults, repeated because setting the list replaces them, and `.kiln/`,
 * `npm start`'s local state with the gateway's signing key and the database files
 * (scripts/local/web-server.ts adds KILN_DATA_DIR when it lies elsewhere).
 */
const fsDeny = [".env", ".env.*", "*.{crt,pem,key,p12,pfx,cer,der}", ".npmrc", ".yarnrc.yml", "**/.git/**", "**/.kiln/**"];

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react(), scalarBundle()],
  server: {
    fs: { deny: fsDeny },
    proxy: {
      "/api": { target: workerUrl },
      "/gw": { target: workerUrl, ws: true },
      "/.well-known": { target: workerUrl },
      "/oidc": { target: workerUrl },
    },
  },
  build: { outDir: "dist", emptyOutDir: true },
});
