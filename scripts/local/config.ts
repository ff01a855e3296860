/** Settings of the local stack, from the environment with defaults that need no setup. */
import { resolve } from "node:path";

export interface LocalConfig {
  webPort: number;
  workerPort: number;
  /** Port of the embedded Postgres (unused when DATABASE_URL is set). */
  dbPort: number;
  dbProxyPort: number;
  /** Folder for all local state: embedded Postgres files, Durable Object storage. */
  dataDir: string;
  /** An external Postgres or Neon database instead of the embedded one. */
  databaseUrl: string | undefined;
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name}=${raw} is not a port number (1-65535).`);
  }
  return value;
}

/** Reads KILN_* and DATABASE_URL. */
export function readLocalConfig(): LocalConfig {
  return {
    webPort: port("KILN_WEB_PORT", 5173),
    workerPort: port("KILN_WORKER_PORT", 8787),
    dbPort: port("KILN_DB_PORT", 54320),
    dbProxyPort: port("KILN_DB_PROXY_PORT", 54321),
    dataDir: resolve(process.env.KILN_DATA_DIR || ".kiln"),
    databaseUrl: process.env.DATABASE_URL || undefined,
  };
}

/** Neon serves WebSockets itself; any other Postgres needs the local proxy. */
export function isNeonUrl(url: string): boolean {
  return /\.neon\.tech$/i.test(new URL(url).hostname);
}
