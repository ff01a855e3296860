/**
 * Modules' private tables in the org gateway's SQLite: each module's migrations run once, in
 * order, recorded in `module_migrations`. A module's tables are named `{module}_…` (dashes as
 * underscores), so no two modules can touch each other's by accident; a migration that
 * creates any other table is refused when the gateway starts, before anything runs.
 */
import type { ModuleDefinition, ModuleSql } from "../modules/kit";

/** The prefix every table of `module` must carry. */
export const tablePrefix = (module: string) => `${module.replaceAll("-", "_")}_`;

const CREATED = /create\s+(?:table|index)\s+(?:if\s+not\s+exists\s+)?["`]?([A-Za-z0-9_]+)/gi;

/** Runs what is new of each module's migrations (in one transaction per module). */
export function migrateModules(sql: ModuleSql, modules: readonly ModuleDefinition[], transaction: (fn: () => void) => void): void {
  sql.exec("create table if not exists module_migrations (module text primary key, version integer not null)");
  for (const module of modules) {
    const migrations = module.storage?.migrations ?? [];
    for (const migration of migrations) {
      for (const [, name] of migration.matchAll(CREATED)) {
        if (!name!.startsWith(tablePrefix(module.name))) throw new Error(`module ${module.name}: its tables and indexes must be named ${tablePrefix(module.name)}…, not ${name}`);
      }
    }
    const done = sql.exec<{ version: number }>("select version from module_migrations where module = ?", module.name).toArray()[0]?.version ?? 0;
    if (done >= migrations.length) continue;
    transaction(() => {
      for (let i = done; i < migrations.length; i++) sql.exec(migrations[i]!);
      sql.exec("insert into module_migrations (module, version) values (?, ?) on conflict (module) do update set version = excluded.version", module.name, migrations.length);
    });
  }
}
