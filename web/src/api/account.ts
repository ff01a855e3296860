/** The signed-in person's account: `/api/me` and `/api/account/*`. */
import { api } from "./client";
import type { ApiKey, ApiKeyScope, Me, Session, User } from "./types";

export const getMe = (signal?: AbortSignal) => api<Me>("GET", "/me", { signal });
export const updateProfile = (name: string) => api<User>("PATCH", "/me", { body: { name } });

export const changePassword = (body: { currentPassword?: string; newPassword: string }) => api<void>("POST", "/account/password", { body });

export const startTotpSetup = () => api<{ secret: string; otpauthUri: string }>("POST", "/account/totp/setup");
export const enableTotp = (code: string) => api<{ recoveryCodes: string[] }>("POST", "/account/totp/enable", { body: { code } });
export const disableTotp = (proof: { password: string } | { code: string }) => api<void>("POST", "/account/totp/disable", { body: proof });
export const regenerateRecoveryCodes = (code: string) => api<{ recoveryCodes: string[] }>("POST", "/account/totp/recovery-codes", { body: { code } });

export const listSessions = () => api<{ sessions: Session[] }>("GET", "/account/sessions");
export const revokeSession = (id: string) => api<void>("DELETE", `/account/sessions/${id}`);
export const revokeOtherSessions = () => api<{ revoked: number }>("POST", "/account/sessions/revoke-others");

export const listApiKeys = () => api<{ apiKeys: ApiKey[] }>("GET", "/account/api-keys");
export const createApiKey = (body: { name: string; scopes: ApiKeyScope[]; expiresInDays: number }) =>
  api<{ apiKey: ApiKey; key: string }>("POST", "/account/api-keys", { body });
export const revokeApiKey = (id: string) => api<void>("DELETE", `/account/api-keys/${id}`);
