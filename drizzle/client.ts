/**
 * The one database factory: drizzle over `@neondatabase/serverless`, the same driver in
 * production (Neon) and locally (embedded or real Postgres behind a WebSocket proxy).
 * Workers cannot share I/O objects between requests, so a client lives for one request.
 */
import { Pool, neonConfig, type PoolClient } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase, type NeonQueryResultHKT } from "drizzle-orm/neon-serverless";
import type { PgDatabase } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export interface DatabaseConfig {
  /** `postgres://…` connection string. */
  databaseUrl: string;
  /**
   * `host:port` of a plain (non-TLS) WebSocket proxy in front of a local Postgres.
   * Empty for Neon, which serves WebSockets itself.
   */
  wsProxy?: string;
}

export type Database = NeonDatabase<typeof schema>;

/** A database or a transaction on it: what helpers that take part in a transaction accept. */
export type Executor = PgDatabase<NeonQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  /** Ends the connection; call it once the request's queries are done. */
  close(): Promise<void>;
}

/** Points the driver at the local proxy; Neon needs no configuration. */
function configureDriver(wsProxy: string | undefined): void {
  if (!wsProxy) return;
  neonConfig.wsProxy = (host, port) => `${wsProxy}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

/** Creates a drizzle database on a fresh pool. */
export function createDatabase(config: DatabaseConfig): DatabaseHandle {
  if (!config.databaseUrl) {
    throw new Error("DATABASE_URL is not set: `npm start` sets it locally; in production run `wrangler secret put DATABASE_URL`.");
  }
  configureDriver(config.wsProxy);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 1 });
  // A connection that drops (often while the pool ends) emits "error"; unheard, that event
  // would be an uncaught exception. Queries in flight still reject on their own.
  const onConnectionError = (error: Error) => console.warn(`database connection error: ${error.message}`);
  pool.on("error", onConnectionError);
  pool.on("connect", (client: PoolClient) => client.on("error", onConnectionError));
  return {
    db: drizzle({ client: pool, schema }),
    close: () => pool.end(),
  };
}
