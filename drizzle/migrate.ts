/** Applies the committed migrations (drizzle/migrations) through the production driver. */
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import { createDatabase, type DatabaseConfig } from "./client";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Brings the database up to the latest schema; safe to run on every start. */
export async function migrateDatabase(config: DatabaseConfig): Promise<void> {
  const { db, close } = createDatabase(config);
  try {
    await migrate(db, { migrationsFolder });
  } finally {
    await close();
  }
}
