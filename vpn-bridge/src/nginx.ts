/** Nginx, run by the bridge: its config written to the state dir, started in the foreground, stopped with the bridge. */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Child } from "./child-process.ts";
import { renderNginxConfig, type NginxOptions } from "./nginx-config.ts";

const run = promisify(execFile);

/** Writes the config under `options.prefix`, checks it with `nginx -t`, and starts Nginx. */
export async function startNginx(options: NginxOptions, onUnexpectedExit: (description: string) => void): Promise<Child> {
  const { prefix } = options;
  for (const dir of ["logs", "tmp"]) await mkdir(join(prefix, dir), { recursive: true });
  const conf = join(prefix, "nginx.conf");
  await writeFile(conf, renderNginxConfig(options));
  const base = ["-p", prefix, "-c", conf, "-e", join(prefix, "logs", "error.log")];
  await run("nginx", [...base, "-t", "-q"]).catch((error: unknown) => {
    const stderr = error && typeof error === "object" && "stderr" in error ? String(error.stderr).trim() : String(error);
    throw new Error(`bridge: nginx refused its config ${conf}: ${stderr}`);
  });
  return new Child("nginx", "nginx", [...base, "-g", "daemon off;"], onUnexpectedExit);
}
