import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { PageMessage } from "../components/PageMessage";
import { loginPath } from "./redirect";
import { useSession } from "./session";

/** Renders its children for a signed-in person; sends anyone else to /login, and back here after. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state, refresh } = useSession();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  switch (state.status) {
    case "loading":
      return <PageMessage busy title="Loading…" />;
    case "signed_in":
      return children;
    case "mfa_pending":
      return <Navigate replace to={loginPath(here, { step: "totp" })} />;
    case "signed_out":
      return <Navigate replace to={loginPath(here)} />;
    case "error":
      return (
        <PageMessage title="Kiln is not answering" tone="error">
          <p>{state.error.message}</p>
          <button type="button" className="button" onClick={() => void refresh()}>
            Try again
          </button>
        </PageMessage>
      );
  }
}
