/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, as every authenticator app expects) and
 * recovery codes. Pure functions: storage and replay bookkeeping live in second-factor.ts.
 */
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding, encodeBase32LowerCaseNoPadding, encodeBase32NoPadding } from "@oslojs/encoding";
import { hashToken } from "./tokens";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now, for clocks that drift. */
const DRIFT_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

/** A new 160-bit secret (RFC 4226's recommended size), base32 as authenticator apps show it. */
export function newTotpSecret(): string {
  return encodeBase32NoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

/** The `otpauth://` URI an authenticator app scans. */
export function totpUri(secret: string, accountName: string): string {
  return createTOTPKeyURI("Kiln", accountName, decodeBase32IgnorePadding(secret), TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The time step `code` belongs to, if it is valid within the drift and newer than `lastUsedStep`. */
export function matchTotpStep(secret: string, code: string, lastUsedStep: number | null, now = Date.now()): number | null {
  const key = decodeBase32IgnorePadding(secret);
  const current = Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
    // A step already used (or older) is a replay, even if the code matches.
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) return step;
  }
  return null;
}

/** Recovery codes as shown to the person: 80 random bits, `xxxx-xxxx-xxxx-xxxx`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10))).match(/.{4}/g)!.join("-"),
  );
}

/** SHA-256 of a recovery code, ignoring case, spaces and dashes (as people retype them). */
export function hashRecoveryCode(code: string): Promise<string> {
  return hashToken(code.toLowerCase().replace(/[\s-]/g, ""));
}
