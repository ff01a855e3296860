/** Random secrets and their stored form: tokens leave the server once and are kept only as SHA-256. */
import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

/** A URL-safe random token of `bytes` bytes (default 32: 256 bits). */
export function randomToken(bytes = 32): string {
  return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** SHA-256 of a token, hex: what the database stores. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return encodeHexLowerCase(new Uint8Array(digest));
}
