/**
 * Bundles the agent for Debian 12's Node 18: `npx tsx vpn-bridge/agent/build.ts`, also run by
 * the images' build. Into `dist/`:
 * - `agent.mjs`: the agent (zod included);
 * - `terminal.mjs` + `pty.node`: the terminal service (ws and node-pty's JavaScript included;
 *   node-pty's native addon, N-API so any Node ≥ 18 loads it, copied next to the bundle and
 *   loaded from there at run time);
 * - `terminal-page/`: the page it serves (xterm.js and the client, one script and one sheet).
 */
import { build, type Plugin } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const DIST = fileURLToPath(new URL("./dist/", import.meta.url));
const SRC = fileURLToPath(new URL("./src/", import.meta.url));

/** Where the bundle is written. */
export const AGENT_BUNDLE = `${DIST}agent.mjs`;
/** The terminal service and its page, next to the agent in every image. */
export const TERMINAL_FILES = { bundle: `${DIST}terminal.mjs`, addon: `${DIST}pty.node`, page: `${DIST}terminal-page` };

/**
 * node-pty finds its addon in a per-platform package (`require(name + "/pty.node")`), which a
 * bundle cannot follow: load it from beside the bundle instead.
 */
const ptyAddonBesideBundle: Plugin = {
  name: "pty-addon-beside-bundle",
  setup(build) {
    build.onLoad({ filter: /@lydell[\\/]node-pty[\\/]requireBinary\.js$/ }, () => ({
      contents: `import { createRequire } from "node:module";
const load = createRequire(import.meta.url);
export function requireBinary(file) { return load("./" + file); }`,
      loader: "js",
    }));
  },
};

/** Builds the bundles; returns their total size in bytes. */
export async function buildAgent(): Promise<number> {
  const node = { bundle: true, platform: "node", format: "esm", target: "node18", minify: false, legalComments: "none", metafile: true, logLevel: "warning" } as const;
  const agent = await build({ ...node, entryPoints: [`${SRC}main.ts`], outfile: AGENT_BUNDLE });
  const terminal = await build({
    ...node,
    entryPoints: [`${SRC}terminal/main.ts`],
    outfile: TERMINAL_FILES.bundle,
    // ws tries these optional native helpers and does without them.
    external: ["bufferutil", "utf-8-validate"],
    // node-pty and ws are CommonJS and require Node's own modules: give the ES module a require.
    banner: { js: 'import { createRequire as __kilnRequire } from "node:module"; const require = __kilnRequire(import.meta.url);' },
    plugins: [ptyAddonBesideBundle],
  });
  const require = createRequire(import.meta.url);
  copyFileSync(require.resolve("@lydell/node-pty-linux-x64/pty.node"), TERMINAL_FILES.addon);
  rmSync(TERMINAL_FILES.page, { recursive: true, force: true });
  mkdirSync(TERMINAL_FILES.page, { recursive: true });
  const page = await build({
    entryPoints: { terminal: `${SRC}terminal/page/page.ts` },
    outdir: TERMINAL_FILES.page,
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    minify: true,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  copyFileSync(`${SRC}terminal/page/index.html`, `${TERMINAL_FILES.page}/index.html`);
  return [agent, terminal, page].reduce((sum, result) => sum + Object.values(result.metafile.outputs).reduce((s, output) => s + output.bytes, 0), 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await buildAgent();
  console.log(`${DIST}: ${(bytes / 1024).toFixed(0)} KiB`);
}
