import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { verifyEmail } from "../../api/auth";
import { asApiError, type ApiError } from "../../api/client";
import { AuthLayout } from "../../components/AuthLayout";
import { PageMessage } from "../../components/PageMessage";
import { useSession } from "../../session/session";
import { once } from "./one-shot";

type State = { kind: "checking" } | { kind: "done"; email: string } | { kind: "error"; error: ApiError };

/** `/verify-email?token=…`: confirm the account's address, signed in or not. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const { state: session, refresh } = useSession();
  const [state, setState] = useState<State>({ kind: "checking" });

  useEffect(() => {
    if (!token) return;
    let live = true;
    once(`verify:${token}`, () => verifyEmail(token)).then(
      (result) => {
        if (!live) return;
        setState({ kind: "done", email: result.email });
        void refresh();
      },
      (error: unknown) => live && setState({ kind: "error", error: asApiError(error) }),
    );
    return () => {
      live = false;
    };
  }, [token, refresh]);

  const signedIn = session.status === "signed_in";
  return (
    <AuthLayout title="Confirm your email">
      {!token ? (
        <PageMessage title="This link is incomplete" tone="error">
          <p>Open the link from the email again.</p>
        </PageMessage>
      ) : state.kind === "done" ? (
        <PageMessage title="Email confirmed" tone="ok">
          <p>
            <strong>{state.email}</strong> is confirmed. Thank you.
          </p>
          <Link className="button primary" to={signedIn ? "/" : "/login"}>
            {signedIn ? "Go to your organizations" : "Sign in"}
          </Link>
        </PageMessage>
      ) : state.kind === "error" ? (
        <PageMessage title="This link does not work" tone="error">
          <p>{state.error.message}</p>
          <p>{signedIn ? "Use “Send it again” at the top of any page for a new link." : <Link to="/login">Sign in</Link>} </p>
        </PageMessage>
      ) : (
        <PageMessage busy title="Confirming…" />
      )}
    </AuthLayout>
  );
}
