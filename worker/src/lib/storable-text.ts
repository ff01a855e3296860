/**
 * Text that may reach Postgres. Its text columns (and jsonb) refuse U+0000, and a lone
 * UTF-16 surrogate has no UTF-8 form, so either in a query fails it with a 500. Every user
 * string bound for the database is built on `StorableTextSchema`, so both are a 400 that
 * names the field instead.
 */
import { z } from "@hono/zod-openapi";

// Code units, not code points (no `u` flag): a high surrogate not followed by a low one, or a low one not after a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = "Remove the NUL character (U+0000) or the broken character (half of a UTF-16 surrogate pair): neither can be stored.";

/** True when Postgres can store `value` as text: no NUL and no unpaired surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/**
 * `value` made storable without asking anyone: NULs dropped, each unpaired surrogate replaced
 * by U+FFFD (as `String.prototype.toWellFormed` does). For text a person did not type here,
 * such as a sign-in provider's display name, where refusing would help nobody.
 */
export function toStorableText(value: string): string {
  return value.replaceAll("\u0000", "").replace(new RegExp(LONE_SURROGATE.source, "g"), "\uFFFD");
}

/** A string Postgres can store; narrow it further (`.trim().min(1).max(100)`) where it is used. */
export const StorableTextSchema = z.string().refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
