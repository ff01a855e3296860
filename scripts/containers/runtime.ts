/** Which container runtime the harness uses: podman when installed, else the fallback, said out loud. */
import { existsSync } from "node:fs";

export type RuntimeKind = "podman" | "fallback";

/** podman if it is on PATH; otherwise the fallback (and a line saying why and what it cannot do). */
export function detectRuntime(print: (line: string) => void = console.log): RuntimeKind {
  const found = (process.env.PATH ?? "").split(":").some((dir) => dir && existsSync(`${dir}/podman`));
  if (found && process.env.KILN_CONTAINER_RUNTIME !== "fallback") return "podman";
  print(
    found
      ? "KILN_CONTAINER_RUNTIME=fallback: using the fallback runtime (network namespace + unshare + overlay chroot of the image's rootfs)"
      : "podman is not installed: using the fallback runtime (network namespace + unshare + overlay chroot of the image's rootfs). " +
          "The literal `docker run` commands cannot run without it; install podman (Debian: podman buildah runc) for the full test.",
  );
  return "fallback";
}
