/**
 * `npm run images:build` (as root): the user-container images in Kiln's own podman storage.
 * rootfs (cached tarball) → `podman import` → `podman build` of each Containerfile (base, then
 * the images on it). A second run reuses the tarball, the imported rootfs and podman's layers.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { AGENT_BUNDLE, buildAgent } from "../agent/build.ts";
import { IMAGES, rootfsPackages } from "./images.ts";
import { podmanEnv, podmanGlobalArgs } from "./podman.ts";
import { ensureRootfs, rootfsHash } from "./rootfs.ts";

const run = promisify(execFile);
const HERE = fileURLToPath(new URL(".", import.meta.url));

/** Builds every image (or reuses what is built); returns the seconds each step took. */
export async function buildImages(print: (line: string) => void = console.log): Promise<{ step: string; seconds: number }[]> {
  if (process.getuid?.() !== 0) throw new Error("the images' build needs root (debootstrap, chroot, podman storage in /var/lib/kiln-containers)");
  const started = Date.now();
  const times: { step: string; seconds: number }[] = [];
  const step = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
    print(`[${elapsed(started)}] ${name} …`);
    const at = Date.now();
    const result = await work();
    const seconds = (Date.now() - at) / 1000;
    times.push({ step: name, seconds });
    print(`[${elapsed(started)}] ${name}: done in ${seconds.toFixed(1)} s`);
    return result;
  };

  const packages = rootfsPackages();
  const tarball = await ensureRootfs(packages, step);
  const rootfsRef = `localhost/kiln-rootfs:${rootfsHash(packages)}`;
  if (await imageExists(rootfsRef)) await step(`rootfs image ${rootfsRef} already imported`, () => undefined);
  else await step(`podman import ${tarball} → ${rootfsRef}`, () => podman(["import", tarball, rootfsRef]));

  await step("agent bundle (esbuild)", buildAgent);
  if (!existsSync(AGENT_BUNDLE)) throw new Error(`the agent bundle is missing: ${AGENT_BUNDLE}`);
  const base = IMAGES.find((image) => image.name === "base")!;
  for (const image of IMAGES) {
    const context = image.name === "base" ? fileURLToPath(new URL("../agent/dist", import.meta.url)) : `${HERE}${image.name}`;
    const arg = image.name === "base" ? `ROOTFS=${rootfsRef}` : `BASE=${base.ref}`;
    await step(`podman build ${image.ref}`, () => podman(["build", "--quiet", "--network", "none", "--build-arg", arg, "-f", `${HERE}${image.name}/Containerfile`, "-t", image.ref, context]));
  }
  print(`[${elapsed(started)}] images ready: ${IMAGES.map((image) => image.ref).join(", ")}`);
  return times;
}

/** Whether our podman storage holds `ref`. */
export async function imageExists(ref: string): Promise<boolean> {
  try {
    await podman(["image", "exists", ref]);
    return true;
  } catch {
    return false;
  }
}

async function podman(args: string[]): Promise<string> {
  const { stdout } = await run("podman", [...podmanGlobalArgs(), ...args], { env: podmanEnv(), maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1).padStart(6)}s`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildImages();
}
