/**
 * Where Kiln's podman keeps its images and state: folders of our own, never the system's
 * (`--root`, `--runroot`), with our `containers.conf`. Shared by the images' build and the
 * container tests, so the tests find the images the build made.
 */
import { fileURLToPath } from "node:url";

export const CONTAINERS_CONF = fileURLToPath(new URL("./containers.conf", import.meta.url));
export const PODMAN_ROOT = process.env.KILN_PODMAN_ROOT ?? "/var/lib/kiln-containers/storage";
export const PODMAN_RUNROOT = process.env.KILN_PODMAN_RUNROOT ?? "/run/kiln-containers/storage";

/** podman's global flags for our storage. */
export function podmanGlobalArgs(): string[] {
  return ["--root", PODMAN_ROOT, "--runroot", PODMAN_RUNROOT];
}

/** The environment podman runs with: ours plus `CONTAINERS_CONF`. */
export function podmanEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CONTAINERS_CONF };
}
