/** The Hono environment shared by every sub-app of the worker. */
import type { Database } from "../../drizzle/client";
import type { Auth } from "./auth/middleware";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The request's database, opened on first use and closed after the response. */
    db: () => Database;
    /** The caller (session or API key), or null; set by the `authenticate` middleware. */
    auth: Auth | null;
  };
}
