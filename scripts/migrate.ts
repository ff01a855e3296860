/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (Neon or any Postgres). */
import { migrateDatabase } from "../drizzle/migrate";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("Set DATABASE_URL to the database to migrate, e.g. DATABASE_URL=postgres://… npm run db:migrate");
  process.exit(1);
}
// A non-Neon Postgres is reached through a proxy: give its host:port in DB_WS_PROXY.
await migrateDatabase({ databaseUrl, wsProxy: process.env.DB_WS_PROXY });
console.log(`migrations applied to ${new URL(databaseUrl).host}`);
