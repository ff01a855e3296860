/** Vite's dev server for `npm start`: the SPA, proxying /api and /gw to the worker, never serving the local data. */
import { join, resolve } from "node:path";
import { createServer, type ViteDevServer } from "vite";

const root = resolve(import.meta.dirname, "../..");

/** `path` as a glob that matches itself only: picomatch's special characters escaped. */
function literalGlob(path: string): string {
  return path.replaceAll("\\", "/").replace(/[*?[\]{}()!+@]/g, "\\$&");
}

/**
 * Starts Vite on 127.0.0.1:`port`. Vite serves any file of the repository through `/@fs/`;
 * web/vite.config.ts denies `.kiln/` and this adds the data dir wherever KILN_DATA_DIR put it
 * (Vite appends an inline `fs.deny` to the config file's): the gateway's signing key and the
 * database files live there.
 */
export async function startWebServer(options: { port: number; dataDir: string }): Promise<ViteDevServer> {
  const server = await createServer({
    configFile: join(root, "web/vite.config.ts"),
    server: { port: options.port, strictPort: true, host: "127.0.0.1", fs: { deny: [`${literalGlob(resolve(options.dataDir))}/**`] } },
    clearScreen: false,
    logLevel: "warn",
  });
  await server.listen();
  return server;
}
