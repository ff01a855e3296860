/**
 * The fallback runtime when podman is missing: the image's rootfs as an overlay chroot, in a
 * network namespace, with its own mount, PID and UTS namespaces (`unshare`). What a runtime
 * would give it is set up by hand: /proc, a devpts, /dev/net/tun, a hostname and /etc/hosts
 * (without one, Python's getfqdn() stalls ~9 s on DNS).
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { AGENT_BUNDLE } from "../../vpn-bridge/agent/build.ts";
import { background, run, waitFor } from "./exec.ts";

export interface FallbackContainer {
  /** Sends SIGTERM to the container's init (catatonit), as `docker stop` would; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
  /** The `unshare` process (`--kill-child`: killing it kills the container). */
  pid: number | undefined;
}

export interface FallbackOptions {
  name: string;
  /** An extracted image rootfs (see `extractRootfs`), used read-only as the overlay's lower layer. */
  rootfs: string;
  /** Files put into the container (destination → source on the machine). */
  files: Record<string, string>;
  env: Record<string, string>;
  /** The argv prefix entering the container's network namespace. */
  enter: string[];
  workDir: string;
  logPath: string;
}

/** Extracts a rootfs tarball beside it once (`….dir`), for the fallback's overlay. */
export async function extractRootfs(tarball: string): Promise<string> {
  const dir = tarball.replace(/\.tar$/, ".dir");
  if (existsSync(`${dir}/.complete`)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await run("tar", ["-C", dir, "--numeric-owner", "-xf", tarball]);
  await run("touch", [`${dir}/.complete`]);
  return dir;
}

/** The files the fallback puts into an image: the agent, the image's services if it declares some, and its `files/` tree as its Containerfile copies it. */
export function fallbackImageFiles(imageDir: string): Record<string, string> {
  const files: Record<string, string> = { "/opt/kiln/agent.mjs": AGENT_BUNDLE };
  if (existsSync(`${imageDir}/services.json`)) files["/etc/kiln/services.json"] = `${imageDir}/services.json`;
  const tree = `${imageDir}/files`;
  if (existsSync(tree)) {
    for (const entry of readdirSync(tree, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files[`${entry.parentPath.slice(tree.length)}/${entry.name}`] = `${entry.parentPath}/${entry.name}`;
    }
  }
  return files;
}

export async function startFallbackContainer(options: FallbackOptions): Promise<FallbackContainer> {
  const { workDir: dir, name } = options;
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ["upper", "work", "root"]) mkdirSync(`${dir}/${sub}`, { recursive: true });
  const root = `${dir}/root`;
  const q = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;
  const binds = Object.entries(options.files).map(([dest, src]) => `mkdir -p ${q(`${root}${dest.replace(/\/[^/]+$/, "")}`)}; touch ${q(`${root}${dest}`)}; mount --bind ${q(src)} ${q(`${root}${dest}`)}`);
  const env = Object.entries({ PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LANG: "C.UTF-8", ...options.env }).map(([key, value]) => q(`${key}=${value}`));
  const script = [
    "set -e",
    `hostname ${q(name)}`,
    `mount -t overlay overlay -o ${q(`lowerdir=${options.rootfs},upperdir=${dir}/upper,workdir=${dir}/work`)} ${q(root)}`,
    ...binds,
    `mount -t proc proc ${q(`${root}/proc`)}`,
    `mount -t tmpfs tmpfs ${q(`${root}/run`)}`,
    `mkdir -p ${q(`${root}/dev/pts`)} ${q(`${root}/dev/net`)}`,
    `mount -t devpts devpts ${q(`${root}/dev/pts`)} -o newinstance,ptmxmode=0666`,
    `[ -c ${q(`${root}/dev/net/tun`)} ] || mknod ${q(`${root}/dev/net/tun`)} c 10 200`,
    `printf '127.0.0.1 localhost\\n127.0.1.1 %s\\n' ${q(name)} > ${q(`${root}/etc/hosts`)}`,
    `exec chroot ${q(root)} /usr/bin/env -i ${env.join(" ")} /usr/bin/catatonit -- /usr/bin/node /opt/kiln/agent.mjs`,
  ].join("\n");
  const child: ChildProcess = background(options.enter[0]!, [...options.enter.slice(1), "unshare", "--mount", "--pid", "--uts", "--fork", "--kill-child", "sh", "-c", script], options.logPath);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    exited,
    pid: child.pid,
    async stop(timeoutMs = 10_000) {
      // `unshare --fork` does not pass SIGTERM on: signal the namespace's init, its child.
      const init = await waitFor("the fallback container's init", async () => (await run("pgrep", ["-P", String(child.pid)], { allowFailure: true })).stdout.trim().split("\n")[0] || null, 5_000);
      await run("kill", ["-TERM", init], { allowFailure: true });
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
