/**
 * The embedded Postgres of the local stack: PGlite (Postgres compiled to WASM) served on
 * loopback over the Postgres wire protocol by `@electric-sql/pglite-socket`.
 */
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  /** Connection string for clients on this machine. */
  url: string;
  /** `host:port` of the Postgres protocol server. */
  address: string;
  stop(): Promise<void>;
}

/** Opens (or creates) the database in `dataDir` (in memory when undefined) and serves it on `port`. */
export async function startEmbeddedPostgres(options: { dataDir?: string; port: number }): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, port: options.port, host: "127.0.0.1", maxConnections: 256 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const address = server.getServerConn();
  return {
    url: `postgres://postgres:postgres@${address}/postgres`,
    address,
    async stop() {
      await server.stop();
      // Closing flushes PGlite's files: without it the last writes can be lost.
      await db.close();
    },
  };
}
