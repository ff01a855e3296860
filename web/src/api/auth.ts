/** Signing up, in and out: `/api/auth/*`. */
import { EmailVerifiedSchema, OAuthProvidersSchema, SignInResultSchema } from "../../../protocol/api/account";
import { AcceptedSchema } from "../../../protocol/api/common";
import { api, send } from "./client";

export const signUp = (body: { email: string; password: string; name?: string }) => api("POST", "/auth/signup", SignInResultSchema, { body });
export const signIn = (body: { email: string; password: string }) => api("POST", "/auth/login", SignInResultSchema, { body });
export const signOut = () => send("POST", "/auth/logout");

/** The second step: a 6-digit code, or one recovery code. */
export const submitSecondFactor = (body: { code: string } | { recoveryCode: string }) => api("POST", "/auth/totp", SignInResultSchema, { body });

/** The emailed link's page to return to; none for the home page. */
const returnTo = (redirect: string) => (redirect === "/" ? {} : { redirect });

/** `redirect`: the in-app path the emailed link returns to after signing in. */
export const requestMagicLink = (email: string, redirect = "/") => api("POST", "/auth/magic-link/request", AcceptedSchema, { body: { email, ...returnTo(redirect) } });
export const verifyMagicLink = (token: string) => api("POST", "/auth/magic-link/verify", SignInResultSchema, { body: { token } });

export const verifyEmail = (token: string) => api("POST", "/auth/verify-email", EmailVerifiedSchema, { body: { token } });
export const resendVerification = () => send("POST", "/auth/verify-email/resend");

export const requestPasswordReset = (email: string, redirect = "/") => api("POST", "/auth/password-reset/request", AcceptedSchema, { body: { email, ...returnTo(redirect) } });
export const resetPassword = (body: { token: string; password: string }) => api("POST", "/auth/password-reset", SignInResultSchema, { body });

export const listProviders = () => api("GET", "/auth/providers", OAuthProvidersSchema);

/** True when this API has the local dev mailbox (never in production). */
export async function hasDevMailbox(): Promise<boolean> {
  try {
    await send("GET", "/dev/mailbox/messages?to=probe%40kiln.invalid");
    return true;
  } catch {
    return false;
  }
}
