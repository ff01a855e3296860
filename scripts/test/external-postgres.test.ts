/**
 * DATABASE_URL switches the stack to a real Postgres: here Debian's PostgreSQL server,
 * started by the test in a temporary folder (`apt-get install -y postgresql`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chown, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../drizzle/client";
import { findFreePort, isPortFree } from "../local/ports";
import { freeStackPorts, startStack, type RunningStack, type StackPorts } from "./stack";

/** The newest PostgreSQL server of Debian's packages. */
async function postgresBinDir(): Promise<string> {
  const versions = await readdir("/usr/lib/postgresql").catch(() => [] as string[]);
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("No PostgreSQL server found under /usr/lib/postgresql: run `apt-get install -y postgresql`.");
  return `/usr/lib/postgresql/${newest}/bin`;
}

/** Postgres refuses to run as root: run it as the `postgres` user then. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

let pgDir: string;
let server: ChildProcess;
let pgPort: number;
let dataDir: string;
let ports: StackPorts;
let stack: RunningStack | undefined;

beforeAll(async () => {
  const bin = await postgresBinDir();
  pgDir = await mkdtemp(join(tmpdir(), "kiln-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync("id", ["-u", "postgres"]).stdout.toString());
    const gid = Number(spawnSync("id", ["-g", "postgres"]).stdout.toString());
    await chown(pgDir, uid, gid);
  }
  const [initCmd, initArgs] = asPostgresUser(`${bin}/initdb`, ["-D", join(pgDir, "data"), "-U", "kiln", "--auth=trust", "-E", "UTF8"]);
  const init = spawnSync(initCmd, initArgs, { encoding: "utf8" });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  pgPort = await findFreePort();
  const [cmd, args] = asPostgresUser(`${bin}/postgres`, ["-D", join(pgDir, "data"), "-p", String(pgPort), "-k", pgDir, "-c", "listen_addresses=127.0.0.1"]);
  server = spawn(cmd, args, { stdio: "ignore" });
  const deadline = Date.now() + 30_000;
  while (await isPortFree(pgPort)) {
    if (Date.now() > deadline) throw new Error("PostgreSQL did not start within 30 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  dataDir = await mkdtemp(join(tmpdir(), "kiln-ext-"));
  ports = await freeStackPorts();
  stack = await startStack({ ...ports, KILN_DATA_DIR: dataDir, DATABASE_URL: `postgres://kiln@127.0.0.1:${pgPort}/postgres` });
});

afterAll(async () => {
  await stack?.stop();
  if (server) {
    const exited = new Promise((r) => server.once("exit", r));
    const bin = await postgresBinDir();
    const [cmd, args] = asPostgresUser(`${bin}/pg_ctl`, ["-D", join(pgDir, "data"), "-m", "fast", "-w", "stop"]);
    spawnSync(cmd, args);
    await exited;
  }
  await rm(pgDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start with DATABASE_URL", () => {
  it("uses that database instead of the embedded one", async () => {
    // No embedded Postgres was started.
    expect(await isPortFree(Number(ports.KILN_DB_PORT))).toBe(true);
    const res = await fetch(`${stack!.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { reachable: true } });
  });

  it("applied the migrations to it", async () => {
    const { db, close } = createDatabase({
      databaseUrl: `postgres://kiln@127.0.0.1:${pgPort}/postgres`,
      wsProxy: `127.0.0.1:${ports.KILN_DB_PROXY_PORT}`,
    });
    const { rows } = await db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    await close();
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(["users", "sessions", "organizations", "projects", "audit_log"]));
  });
});
