/** Who is signed in, from `GET /api/me`, shared through React context: one request per page load. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { getMe } from "../api/account";
import { signOut as apiSignOut } from "../api/auth";
import { ApiError, asApiError } from "../api/client";
import type { Me } from "../api/types";

export type SessionState =
  | { status: "loading" }
  | { status: "signed_in"; me: Me }
  | { status: "signed_out" }
  /** Signed in with a first factor; the TOTP step is owed. */
  | { status: "mfa_pending" }
  | { status: "error"; error: ApiError };

interface SessionContextValue {
  state: SessionState;
  /** Asks `/api/me` again (after signing in, joining an org, changing the profile). */
  refresh(): Promise<SessionState>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

async function load(signal?: AbortSignal): Promise<SessionState> {
  try {
    return { status: "signed_in", me: await getMe(signal) };
  } catch (error) {
    const e = asApiError(error);
    if (e.status === 401) return e.code === "mfa_required" ? { status: "mfa_pending" } : { status: "signed_out" };
    return { status: "error", error: e };
  }
}

/** Loads the session once and keeps it for the pages below. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal).then((next) => {
      if (!controller.signal.aborted) setState(next);
    });
    return () => controller.abort();
  }, []);

  const refresh = useCallback(async () => {
    const next = await load();
    setState(next);
    return next;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiSignOut();
    } finally {
      setState({ status: "signed_out" });
    }
  }, []);

  const value = useMemo(() => ({ state, refresh, signOut }), [state, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session; pages under `SessionProvider` only. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession() needs a <SessionProvider> above it");
  return value;
}

/** The signed-in person; for pages behind `RequireAuth`. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== "signed_in") throw new Error("useMe() outside a signed-in page");
  return state.me;
}
