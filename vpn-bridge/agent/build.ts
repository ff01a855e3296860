/**
 * Bundles the agent into one `dist/agent.mjs` (zod included) for Debian 12's Node 18:
 * `npx tsx vpn-bridge/agent/build.ts`, also run by the images' build.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

/** Where the bundle is written. */
export const AGENT_BUNDLE = fileURLToPath(new URL("./dist/agent.mjs", import.meta.url));

/** Builds the bundle; returns its size in bytes. */
export async function buildAgent(): Promise<number> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./src/main.ts", import.meta.url))],
    outfile: AGENT_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node18",
    minify: false,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  return Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await buildAgent();
  console.log(`${AGENT_BUNDLE}: ${(bytes / 1024).toFixed(0)} KiB`);
}
