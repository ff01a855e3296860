/**
 * The org's ID-token signing key: ES256, made in the gateway the first time it is needed and
 * kept (private JWK) in the module's table. Never rotated yet: one key per org for its life.
 */
import { type JWK, type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from "jose";
import type { ModuleSql } from "../kit";

export const SIGNING_ALG = "ES256";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half, as the JWKS lists it. */
  publicJwk: JWK;
}

/** Imported keys by kid (a thumbprint: the same kid is the same key, whichever org asks). */
const imported = new Map<string, Promise<SigningKey>>();

function storedKey(sql: ModuleSql): { kid: string; private_jwk: string } | undefined {
  return sql.exec<{ kid: string; private_jwk: string }>("select kid, private_jwk from oidc_keys order by created_at limit 1").toArray()[0];
}

function load(row: { kid: string; private_jwk: string }): Promise<SigningKey> {
  let key = imported.get(row.kid);
  if (!key) {
    key = (async () => {
      const jwk = JSON.parse(row.private_jwk) as JWK;
      const { d: _private, ...pub } = jwk;
      const privateKey = (await importJWK(jwk, SIGNING_ALG)) as CryptoKey;
      return { kid: row.kid, privateKey, publicJwk: { ...pub, kid: row.kid, use: "sig", alg: SIGNING_ALG } };
    })();
    imported.set(row.kid, key);
  }
  return key;
}

/** The org's signing key, made and stored on first use. */
export async function signingKey(sql: ModuleSql, now: number): Promise<SigningKey> {
  const row = storedKey(sql);
  if (row) return load(row);
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  // Two requests may both have made one while awaiting: the first stored wins, for both.
  sql.exec("insert or ignore into oidc_keys (kid, private_jwk, created_at) values (?, ?, ?)", kid, JSON.stringify(jwk), now);
  return load(storedKey(sql)!);
}
