/**
 * The board's literal `docker run` line on the fallback runtime (no podman): the image and the
 * `-e KEY=VALUE` environment read from the line, the container started as a namespace with the
 * same image rootfs (`fallback-runtime.ts`). What a runtime would refuse, this refuses too.
 */
import { fileURLToPath } from "node:url";
import { IMAGES } from "../../vpn-bridge/images/images.ts";
import { parseDockerRun } from "./docker-run.ts";
import { type FallbackContainer, fallbackImageFiles, startFallbackContainer } from "./fallback-runtime.ts";

export interface LaunchedFallback {
  name: string;
  image: string;
  container: FallbackContainer;
  /** The container's output (the agent's log lines, as `docker logs` would show them). */
  logPath: string;
}

/** Starts `command` (a `docker run …` line) as a fallback container, entering its network namespace with `enter`. */
export async function launchFallback(command: string, options: { rootfs: string; enter: string[]; dir: string }): Promise<LaunchedFallback> {
  const run = parseDockerRun(command);
  const recipe = IMAGES.find((image) => image.ref === run.image);
  if (!recipe) throw new Error(`the fallback runtime knows Kiln's images only (${IMAGES.map((image) => image.ref).join(", ")}), not ${run.image}`);
  if (run.args.length > 0) throw new Error(`the fallback runtime runs the image's entrypoint only, not ${run.args.join(" ")}`);
  // The namespace gives NET_ADMIN and a tun device whatever the line says; docker would not, and the agent would exit 65.
  if (!run.capAdd.includes("NET_ADMIN") || !run.devices.includes("/dev/net/tun")) throw new Error("the docker run line lacks --cap-add=NET_ADMIN --device /dev/net/tun");
  const name = run.name ?? `kiln-fallback-${crypto.randomUUID().slice(0, 8)}`;
  const container = await startFallbackContainer({
    name,
    rootfs: options.rootfs,
    files: fallbackImageFiles(fileURLToPath(new URL(`../../vpn-bridge/images/${recipe.name}`, import.meta.url))),
    env: run.env,
    enter: options.enter,
    workDir: `${options.dir}/${name}`,
    logPath: `${options.dir}/${name}.log`,
  });
  return { name, image: run.image, container, logPath: `${options.dir}/${name}.log` };
}
