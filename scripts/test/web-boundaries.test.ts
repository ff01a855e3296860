/**
 * What web/ may import of the other parts (issue #15): the contracts in protocol/, the gateway's
 * client surface (gateway-do/src/client.ts) and the modules' shared parts (gateway-do/src/modules/);
 * nothing of worker/, vpn-bridge/ or drizzle/, and no other file of the gateway.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [join(dir, e.name)] : []));

describe("web/src's imports", () => {
  it("reach the gateway through its client surface and its modules only, and nothing of worker/, vpn-bridge/ or drizzle/", () => {
    const files = sources(join(root, "web/src"));
    expect(files.length).toBeGreaterThan(100);
    const outside: string[] = [];
    for (const file of files) {
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)) {
        if (!spec!.startsWith(".")) continue;
        const target = relative(root, resolve(file, "..", spec!));
        const allowed = !/^(worker|vpn-bridge|drizzle|gateway-do)\//.test(target) || target === "gateway-do/src/client" || target.startsWith("gateway-do/src/modules/");
        if (!allowed) outside.push(`${relative(root, file)} → ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
