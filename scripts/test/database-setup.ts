/**
 * Vitest global setup for the workerd tests: the real embedded Postgres behind the
 * WebSocket proxy, on the ports vitest.config.ts gave the worker, migrated.
 */
import { migrateDatabase } from "../../drizzle/migrate";
import { startDbProxy } from "../local/db-proxy";
import { startEmbeddedPostgres } from "../local/embedded-postgres";

export default async function setup(): Promise<() => Promise<void>> {
  const postgres = await startEmbeddedPostgres({ port: Number(process.env.KILN_TEST_DB_PORT) });
  const proxy = await startDbProxy({ target: postgres.address, port: Number(process.env.KILN_TEST_DB_PROXY_PORT), serialize: true });
  await migrateDatabase({ databaseUrl: postgres.url, wsProxy: `127.0.0.1:${proxy.port}` });
  return async () => {
    await proxy.close();
    await postgres.stop();
  };
}
