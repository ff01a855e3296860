/** What a new password needs, said the same under every field that sets one (the API gives the reason when one is refused). */
export const NEW_PASSWORD_HINT = "At least 8 characters, and not easy to guess: a few unrelated words make a strong one.";
