/** Vite's dev server for `npm start`: the SPA, proxying /api and /gw to the worker, never serving the local data. */
import { join, resolve } from "node:path";
import { createLogger, createServer, type ViteDevServer } from "vite";
import { isDisconnect } from "./quiet-log";

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
export async function startWebServer(options: { port: number; dataDir: string; verbose?: boolean }): Promise<ViteDevServer> {
  // A browser closing a tab resets the proxied sockets: Vite reports each with a stack trace.
  const logger = createLogger("warn", { allowClearScreen: false });
  const error = logger.error.bind(logger);
  logger.error = (message, logOptions) => {
    if (!options.verbose && isDisconnect(logOptions?.error)) return;
    error(message, logOptions);
  };
  const server = await createServer({
    customLogger: logger,
    configFile: join(root, "web/vite.config.ts"),
    server: { port: options.port, strictPort: true, host: "127.0.0.1", fs: { deny: [`${literalGlob(resolve(options.dataDir))}/**`] } },
    clearScreen: false,
    logLevel: "warn",
  });
  await server.listen();
  return server;
}
