import { defineConfig } from "drizzle-kit";

/** drizzle-kit generates SQL migrations from the schema; `npm run db:generate`. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./drizzle/schema/index.ts",
  out: "./drizzle/migrations",
});
