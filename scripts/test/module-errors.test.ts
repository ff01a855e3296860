/**
 * Every code a gateway module refuses an event with is declared by that module with its HTTP
 * status (ModuleDefinition.errors), so the worker answers each with the status it documents
 * instead of a fallback: read from the modules' source, where the codes are thrown.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { errorStatuses } from "../../gateway-do/src/events/pipeline";
import { modules } from "../../gateway-do/src/modules/registry";

const MODULES_DIR = join(import.meta.dirname, "../../gateway-do/src/modules");

/** The codes thrown as `new EventError("code", …)` in a module's folder. */
function thrownIn(folder: string): string[] {
  const codes = new Set<string>();
  for (const file of readdirSync(join(MODULES_DIR, folder), { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts")) continue;
    for (const [, code] of readFileSync(join(MODULES_DIR, folder, file), "utf8").matchAll(/new EventError\(\s*"([a-z_]+)"/g)) codes.add(code!);
  }
  return [...codes].sort();
}

describe("module error codes", () => {
  it("are declared, with their HTTP status, by the module that throws them", () => {
    const undeclared: string[] = [];
    for (const module of modules) {
      for (const code of thrownIn(module.name)) if (module.errors?.[code] === undefined) undeclared.push(`${module.name}: ${code}`);
    }
    expect(undeclared).toEqual([]);
    // And the check reads something: the modules do throw codes.
    expect(modules.flatMap((m) => thrownIn(m.name)).length).toBeGreaterThan(5);
  });

  it("map to one status each across modules", () => {
    const statuses = errorStatuses(modules);
    expect(statuses.get("not_found")).toBe(404);
    expect(statuses.get("invalid_edge")).toBe(400);
    expect(() => errorStatuses([...modules, { ...modules[0]!, name: "clash", errors: { not_found: 410 } }])).toThrow(/clash answers not_found with 410/);
  });
});
