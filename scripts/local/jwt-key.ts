/** The ES256 key that signs gateway tokens: generated once per local data folder. */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A new private JWK (ES256, P-256) with a key id, as JSON. */
export async function generateJwtPrivateKey(): Promise<string> {
  const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  return JSON.stringify({ ...jwk, alg: "ES256", use: "sig", kid: crypto.randomUUID() });
}

/** The key kept in `dataDir`, created on first use so tokens survive restarts. */
export async function loadOrCreateJwtPrivateKey(dataDir: string): Promise<string> {
  const file = join(dataDir, "jwt-private-key.json");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const key = await generateJwtPrivateKey();
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** The VPN bridge's key kept in `dataDir` (the worker's BRIDGE_KEY; a bridge started locally gets it as KILN_BRIDGE_KEY). */
export async function loadOrCreateBridgeKey(dataDir: string): Promise<string> {
  const file = join(dataDir, "bridge-key");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}
