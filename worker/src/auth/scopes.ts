/** What an API key may be allowed to do. A signed-in session may do all of it, and more. */
export const apiKeyScopes = [
  "account:read",
  "orgs:read",
  "orgs:write",
  "projects:read",
  "projects:write",
  "gateway:connect",
] as const;

/** `account:write` (credentials, sessions, API keys) is for sessions only: a key cannot mint keys. */
export type Scope = (typeof apiKeyScopes)[number] | "account:write";
