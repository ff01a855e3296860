/** The signed-in person's account: `/api/me` and `/api/account/*`. */
import {
  ApiKeyCreatedSchema,
  ApiKeyListSchema,
  MeSchema,
  RecoveryCodesSchema,
  SessionListSchema,
  SessionsRevokedSchema,
  TotpSetupSchema,
  UserSchema,
} from "../../../protocol/api/account";
import { api, send } from "./client";
import type { ApiKeyScope } from "./types";

export const getMe = (signal?: AbortSignal) => api("GET", "/me", MeSchema, { signal });
export const updateProfile = (name: string) => api("PATCH", "/me", UserSchema, { body: { name } });

export const changePassword = (body: { currentPassword?: string; newPassword: string }) => send("POST", "/account/password", { body });

export const startTotpSetup = () => api("POST", "/account/totp/setup", TotpSetupSchema);
export const enableTotp = (code: string) => api("POST", "/account/totp/enable", RecoveryCodesSchema, { body: { code } });
export const disableTotp = (proof: { password: string } | { code: string }) => send("POST", "/account/totp/disable", { body: proof });
export const regenerateRecoveryCodes = (code: string) => api("POST", "/account/totp/recovery-codes", RecoveryCodesSchema, { body: { code } });

export const listSessions = () => api("GET", "/account/sessions", SessionListSchema);
export const revokeSession = (id: string) => send("DELETE", `/account/sessions/${id}`);
export const revokeOtherSessions = () => api("POST", "/account/sessions/revoke-others", SessionsRevokedSchema);

export const listApiKeys = () => api("GET", "/account/api-keys", ApiKeyListSchema);
export const createApiKey = (body: { name: string; scopes: ApiKeyScope[]; expiresInDays: number }) => api("POST", "/account/api-keys", ApiKeyCreatedSchema, { body });
export const revokeApiKey = (id: string) => send("DELETE", `/account/api-keys/${id}`);
