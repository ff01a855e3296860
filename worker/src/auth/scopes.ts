/** What an API key may be allowed to do (the list is in protocol/). A signed-in session may do all of it, and more. */
import { type ApiKeyScope, apiKeyScopes } from "../../../protocol/enums";

export { apiKeyScopes };

/** `account:write` (credentials, sessions, API keys) is for sessions only: a key cannot mint keys. */
export type Scope = ApiKeyScope | "account:write";
