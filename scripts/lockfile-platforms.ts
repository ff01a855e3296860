/**
 * `npm run lockfile:platforms`: the npm registry this project's machines reach has no
 * macOS or Windows builds of workerd, so `npm install` here leaves them out of
 * package-lock.json and `npm ci` then refuses the lockfile. This adds their entries
 * (optional, with their os/cpu, so Linux skips them and macOS/Windows fetch them).
 * Run it after any `npm install` that rewrites the lockfile.
 */
import { readFileSync, writeFileSync } from "node:fs";

const platforms: Record<string, { os: string; cpu: string }> = {
  "@cloudflare/workerd-darwin-64": { os: "darwin", cpu: "x64" },
  "@cloudflare/workerd-darwin-arm64": { os: "darwin", cpu: "arm64" },
  "@cloudflare/workerd-windows-64": { os: "win32", cpu: "x64" },
};

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8")) as { packages: Record<string, LockEntry> };
let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const platform = platforms[name];
    if (!platform) continue;
    const parent = location === "" ? "" : `${location}/`;
    const key = `${parent}node_modules/${name}`;
    if (lock.packages[key]) continue;
    lock.packages[key] = {
      version,
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      license: "Apache-2.0",
      optional: true,
      os: [platform.os],
      engines: { node: ">=16" },
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entr${added === 1 ? "y" : "ies"} added`);
