/**
 * Password hashing with scrypt from node:crypto (N=2^14, r=8, p=5), never PBKDF2: production
 * Workers refuse PBKDF2 above 100,000 iterations. Hashes are self-describing PHC strings,
 * `$scrypt$ln=14,r=8,p=5$<salt>$<hash>`, so parameters can change and old hashes be upgraded.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const PARAMS = { ln: 14, r: 8, p: 5 } as const;
const KEY_LENGTH = 32;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** NFKC, so the same password typed on two keyboards hashes the same. Never truncated. */
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

function derive(password: string, salt: Buffer, params: { ln: number; r: number; p: number }): Promise<Buffer> {
  const N = 2 ** params.ln;
  return new Promise((resolve, reject) =>
    scrypt(normalizePassword(password), salt, KEY_LENGTH, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Hashes a password with the current parameters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return `$scrypt$ln=${PARAMS.ln},r=${PARAMS.r},p=${PARAMS.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Checks a password; `needsRehash` when the hash was made with other parameters. */
export async function verifyPassword(password: string, hash: string): Promise<{ ok: boolean; needsRehash: boolean }> {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash);
  if (!match) return { ok: false, needsRehash: true };
  const params = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  const expected = Buffer.from(match[5]!, "base64");
  const key = await derive(password, Buffer.from(match[4]!, "base64"), params);
  const ok = key.length === expected.length && timingSafeEqual(key, expected);
  const needsRehash = params.ln !== PARAMS.ln || params.r !== PARAMS.r || params.p !== PARAMS.p;
  return { ok, needsRehash };
}

/** Spends the time of one verification, so an unknown email answers as slowly as a wrong password. */
export async function burnPasswordCheck(password: string): Promise<void> {
  await derive(password, Buffer.alloc(16), PARAMS);
}
