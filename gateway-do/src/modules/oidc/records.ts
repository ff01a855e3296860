/**
 * The provider's private tables in the org's SQLite: its signing key, the clients members
 * registered, and the authorization codes and access tokens it issued. Codes, tokens and
 * secrets are stored as their SHA-256 only; codes and tokens are short-lived, and the org's
 * alarm sweeps them once expired.
 */
import { hashOf, newSecret } from "../user-containers/records";
import type { ModuleSql } from "../kit";

export const OIDC = "oidc";

/** How long an authorization code may wait for its exchange, and an access token lives. */
export const CODE_TTL_MS = 60_000;
export const ACCESS_TOKEN_TTL_MS = 10 * 60_000;
/** How long an ID token is valid (the relying party starts its own session with it at once). */
export const ID_TOKEN_TTL_S = 5 * 60;

export { hashOf, newSecret };

export const MIGRATIONS = [
  "create table oidc_keys (kid text primary key, private_jwk text not null, created_at integer not null)",
  `create table oidc_clients (
     client_id text primary key, container text not null, service text not null, redirect_path text not null,
     secret_hash text not null, created_by text not null, created_at integer not null)`,
  `create table oidc_codes (
     code_hash text primary key, client_id text not null, redirect_uri text not null, user_id text not null,
     code_challenge text not null, nonce text, scope text not null, profile text not null, auth_time integer not null,
     expires_at integer not null, used_at integer)`,
  "create index oidc_codes_expiry on oidc_codes (expires_at)",
  "create index oidc_codes_user on oidc_codes (user_id)",
  `create table oidc_tokens (
     token_hash text primary key, code_hash text not null, client_id text not null, user_id text not null,
     scope text not null, profile text not null, expires_at integer not null)`,
  "create index oidc_tokens_expiry on oidc_tokens (expires_at)",
  "create index oidc_tokens_user on oidc_tokens (user_id)",
  "create index oidc_tokens_code on oidc_tokens (code_hash)",
] as const;

export type ClientRow = { client_id: string; container: string; service: string; redirect_path: string; secret_hash: string; created_by: string; created_at: number };

export type CodeRow = {
  code_hash: string;
  client_id: string;
  redirect_uri: string;
  user_id: string;
  code_challenge: string;
  nonce: string | null;
  scope: string;
  /** The member's name and email as the worker read them at authorization (JSON). */
  profile: string;
  auth_time: number;
  expires_at: number;
  used_at: number | null;
};

export type TokenRow = { token_hash: string; code_hash: string; client_id: string; user_id: string; scope: string; profile: string; expires_at: number };

export function clientRow(sql: ModuleSql, clientId: string): ClientRow | undefined {
  return sql.exec<ClientRow>("select * from oidc_clients where client_id = ?", clientId).toArray()[0];
}

export function codeRow(sql: ModuleSql, code: string): CodeRow | undefined {
  return sql.exec<CodeRow>("select * from oidc_codes where code_hash = ?", hashOf(code)).toArray()[0];
}

export function tokenRow(sql: ModuleSql, token: string): TokenRow | undefined {
  return sql.exec<TokenRow>("select * from oidc_tokens where token_hash = ?", hashOf(token)).toArray()[0];
}

/** The earliest expiry of a code or token still stored, or null. */
export function nextExpiry(sql: ModuleSql): number | null {
  const row = sql.exec<{ at: number | null }>("select min(at) as at from (select min(expires_at) as at from oidc_codes union all select min(expires_at) as at from oidc_tokens)").toArray()[0];
  return row?.at ?? null;
}

/** Deletes expired codes and tokens, and clients whose container is gone. */
export function sweep(sql: ModuleSql, now: number): void {
  sql.exec("delete from oidc_codes where expires_at <= ?", now);
  sql.exec("delete from oidc_tokens where expires_at <= ?", now);
  sql.exec("delete from oidc_clients where container not in (select id from user_containers_live)");
}

/** Forgets what members who left held: their codes and tokens. */
export function forgetUsers(sql: ModuleSql, users: readonly string[]): void {
  for (const user of users) {
    sql.exec("delete from oidc_codes where user_id = ?", user);
    sql.exec("delete from oidc_tokens where user_id = ?", user);
  }
}
