/** The Hono environment shared by every sub-app of the worker. */
import type { Database } from "../../drizzle/client";
import type { Auth } from "./auth/middleware";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The request's database, opened on first use and closed after the response. */
    db: () => Database;
    /**
     * Queues work to run once the response is made, e.g. an email whose sending must not
     * show in the response's timing; it may use `db()`, and a failure is logged.
     */
    afterResponse: (name: string, task: () => Promise<void>) => void;
    /** The caller (session or API key), or null; set by the `authenticate` middleware. */
    auth: Auth | null;
  };
}
