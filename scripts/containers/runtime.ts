/** Which container runtime the harness uses: podman when installed, else the fallback, said out loud. */
import { existsSync } from "node:fs";

export type RuntimeKind = "podman" | "fallback";

/** podman if it is on PATH; otherwise the fallback (and a line saying why and what it cannot do). */
export function detectRuntime(print: (line: string) => void = console.log): RuntimeKind {
  const found = (process.env.PATH ?? "").split(":").some((dir) => dir && existsSync(`${dir}/podman`));
  if (found && process.env.KILN_CONTAINER_RUNTIME !== "fallback") return "podman";
  print(
    found
      ? "KILN_CONTAINER_RUNTIME=fallback: podman is not used; each container runs as a namespace with the same image rootfs (network namespace + unshare + overlay chroot), from the docker run line's image and -e environment"
      : "podman is not installed: each container runs as a namespace with the same image rootfs (network namespace + unshare + overlay chroot), from the docker run line's image and -e environment. " +
          "What needs the docker CLI (docker exec, stop/start/restart, the terminal's browser test) is not run; install podman (Debian: podman buildah runc) for the full suite.",
  );
  return "fallback";
}
