/** Signing up, in and out: `/api/auth/*`. */
import { api } from "./client";
import type { OAuthProvider, SignInResult } from "./types";

export const signUp = (body: { email: string; password: string; name?: string }) => api<SignInResult>("POST", "/auth/signup", { body });
export const signIn = (body: { email: string; password: string }) => api<SignInResult>("POST", "/auth/login", { body });
export const signOut = () => api<void>("POST", "/auth/logout");

/** The second step: a 6-digit code, or one recovery code. */
export const submitSecondFactor = (body: { code: string } | { recoveryCode: string }) => api<SignInResult>("POST", "/auth/totp", { body });

/** The emailed link's page to return to; none for the home page. */
const returnTo = (redirect: string) => (redirect === "/" ? {} : { redirect });

/** `redirect`: the in-app path the emailed link returns to after signing in. */
export const requestMagicLink = (email: string, redirect = "/") => api<{ status: "accepted" }>("POST", "/auth/magic-link/request", { body: { email, ...returnTo(redirect) } });
export const verifyMagicLink = (token: string) => api<SignInResult>("POST", "/auth/magic-link/verify", { body: { token } });

export const verifyEmail = (token: string) => api<{ email: string; emailVerified: true }>("POST", "/auth/verify-email", { body: { token } });
export const resendVerification = () => api<void>("POST", "/auth/verify-email/resend");

export const requestPasswordReset = (email: string, redirect = "/") => api<{ status: "accepted" }>("POST", "/auth/password-reset/request", { body: { email, ...returnTo(redirect) } });
export const resetPassword = (body: { token: string; password: string }) => api<SignInResult>("POST", "/auth/password-reset", { body });

export const listProviders = () => api<{ providers: OAuthProvider[] }>("GET", "/auth/providers");

/** True when this API has the local dev mailbox (never in production). */
export async function hasDevMailbox(): Promise<boolean> {
  try {
    await api("GET", "/dev/mailbox/messages?to=probe%40kiln.invalid");
    return true;
  } catch {
    return false;
  }
}
