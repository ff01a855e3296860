/**
 * The shared Debian rootfs: `debootstrap --variant=minbase bookworm` from the machine's own
 * Debian mirror, the images' packages installed in a chroot, kept as a tarball named by a hash
 * of its recipe so the next build reuses it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, copyFileSync, openSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";

export const SUITE = "bookworm";
/** Raised when the steps below change in a way that changes the rootfs. */
const RECIPE_VERSION = 1;

/** Where rootfs tarballs are cached (`KILN_ROOTFS_CACHE` overrides). */
export const ROOTFS_CACHE = process.env.KILN_ROOTFS_CACHE ?? "/var/cache/kiln";

/** The rootfs's identity: the suite, the package list and this recipe's version. */
export function rootfsHash(packages: string[]): string {
  return createHash("sha256").update(JSON.stringify({ suite: SUITE, variant: "minbase", packages: [...packages].sort(), recipe: RECIPE_VERSION })).digest("hex").slice(0, 12);
}

export function rootfsTarball(packages: string[]): string {
  return `${ROOTFS_CACHE}/rootfs-${rootfsHash(packages)}.tar`;
}

/** The first Debian mirror apt is configured with (one-line `deb` or deb822 `URIs:`), or `DEBIAN_MIRROR`. */
export function debianMirror(): string {
  if (process.env.DEBIAN_MIRROR) return process.env.DEBIAN_MIRROR;
  const files = ["/etc/apt/sources.list", ...listDir("/etc/apt/sources.list.d").map((name) => `/etc/apt/sources.list.d/${name}`)];
  for (const file of files) {
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    for (const line of text.split("\n")) {
      const match = /^\s*(?:deb\s+(?:\[[^\]]*\]\s+)?|URIs:\s*)(\S+:\/\/\S+)/.exec(line);
      if (match && !/security/.test(match[1]!)) return match[1]!;
    }
  }
  return "http://deb.debian.org/debian";
}

/**
 * Builds the rootfs tarball unless it is cached; `step` times each stage. Runs as root:
 * debootstrap, chroot, mount.
 */
export async function ensureRootfs(packages: string[], step: <T>(name: string, run: () => T | Promise<T>) => Promise<T>): Promise<string> {
  const tarball = rootfsTarball(packages);
  if (existsSync(tarball)) {
    await step(`rootfs cached: ${tarball}`, () => undefined);
    return tarball;
  }
  mkdirSync(ROOTFS_CACHE, { recursive: true });
  const dir = `${ROOTFS_CACHE}/rootfs-${rootfsHash(packages)}.work`;
  rmSync(dir, { recursive: true, force: true });
  const mirror = debianMirror();
  await step(`debootstrap --variant=minbase ${SUITE} from ${mirror}`, () => sh("debootstrap", ["--variant=minbase", SUITE, dir, mirror]));
  await step(`apt-get install in a chroot: ${packages.join(" ")}`, () => installPackages(dir, packages));
  await step(`tarball ${tarball}`, () => {
    sh("tar", ["-C", dir, "--numeric-owner", "-cf", `${tarball}.partial`, "."]);
    renameSync(`${tarball}.partial`, tarball);
    rmSync(dir, { recursive: true, force: true });
  });
  return tarball;
}

function installPackages(dir: string, packages: string[]): void {
  // No daemon may start inside the chroot while packages install.
  writeFileSync(`${dir}/usr/sbin/policy-rc.d`, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  copyFileSync("/etc/resolv.conf", `${dir}/etc/resolv.conf`);
  sh("mount", ["-t", "proc", "proc", `${dir}/proc`]);
  try {
    const script = [
      "set -e",
      "apt-get update -q",
      `DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${packages.join(" ")}`,
      "apt-get clean",
      "rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/dpkg.log",
    ].join("\n");
    sh("chroot", [dir, "/bin/sh", "-c", script]);
  } finally {
    sh("umount", [`${dir}/proc`]);
  }
  rmSync(`${dir}/usr/sbin/policy-rc.d`);
  // The container runtime provides these.
  writeFileSync(`${dir}/etc/resolv.conf`, "");
  writeFileSync(`${dir}/etc/hostname`, "");
}

/** What debootstrap and apt print, kept out of the build's progress lines. */
export const BUILD_LOG = `${ROOTFS_CACHE}/build.log`;

function sh(file: string, args: string[]): void {
  const out = openSync(BUILD_LOG, "a");
  try {
    execFileSync(file, args, { stdio: ["ignore", out, out] });
  } catch (error) {
    throw new Error(`${file} failed (${(error as Error).message.split("\n")[0]}); its output is in ${BUILD_LOG}`);
  } finally {
    closeSync(out);
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
