/**
 * Guessable passwords refused with zxcvbn-ts: common passwords, words and names, keyboard
 * patterns, dates, repeats and the person's own email or name, each with a reason a person
 * can act on. Length alone (PasswordSchema) let `password` and `12345678` through.
 */
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { ApiError } from "../lib/errors";

/** zxcvbn's score (0–4) a new password needs: 3 is "safely unguessable", about 10^8 guesses or more. */
export const MIN_PASSWORD_SCORE = 3;

let checker: Promise<ZxcvbnFactory> | undefined;

/**
 * The dictionaries are a few megabytes of source: imported on the first password check
 * rather than at isolate start (every other request skips them), then kept for the isolate.
 */
function loadChecker(): Promise<ZxcvbnFactory> {
  checker ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common"), import("@zxcvbn-ts/language-en")])
    .then(
      ([{ ZxcvbnFactory }, common, en]) =>
        new ZxcvbnFactory({
          translations: en.translations,
          graphs: common.adjacencyGraphs,
          dictionary: { ...common.dictionary, ...en.dictionary },
          // Its matching grows fast with length and l33t substitutions (a 100-character
          // random password took ~1 s at the defaults); 64 characters and 10 substitutions
          // keep the worst case well under 100 ms and still catch "p4ssw0rd".
          maxLength: 64,
          l33tMaxSubstitutions: 10,
        }),
    )
    .catch((error: unknown) => {
      checker = undefined; // a failed import is tried again by the next request
      throw error;
    });
  return checker;
}

/** What the person is known by: a password made of these is easy to guess for whoever knows them. */
function personalWords(person: { email: string; name?: string | null }): string[] {
  const local = person.email.split("@")[0] ?? "";
  const name = person.name?.trim() ?? "";
  return [person.email, local, ...local.split(/[._+-]+/), name, ...name.split(/\s+/)].filter((word) => word.length >= 3);
}

/** Why `password` is too easy to guess (zxcvbn's warning and suggestions), or null when it is strong enough. */
export async function passwordWeakness(password: string, person: { email: string; name?: string | null }): Promise<string | null> {
  const zxcvbn = await loadChecker();
  const result = zxcvbn.check(password, personalWords(person));
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const { warning, suggestions } = result.feedback;
  return ["This password is too easy to guess.", warning, ...suggestions, suggestions.length === 0 ? "Add a few more uncommon words." : null].filter(Boolean).join(" ");
}

/** Throws a 400 `weak_password` naming `field`, with the reason, when the password is too easy to guess. */
export async function requireStrongPassword(password: string, person: { email: string; name?: string | null }, field = "password"): Promise<void> {
  const reason = await passwordWeakness(password, person);
  if (reason) throw new ApiError(400, "weak_password", reason, { [field]: [reason] });
}
