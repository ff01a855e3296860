import { useEffect, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { verifyMagicLink } from "../../api/auth";
import { asApiError, type ApiError } from "../../api/client";
import { AuthLayout } from "../../components/AuthLayout";
import { PageMessage } from "../../components/PageMessage";
import { safeRedirect, withRedirect } from "../../session/redirect";
import { useSession } from "../../session/session";
import { once } from "./one-shot";
import { TotpStep } from "./TotpStep";

type State = { kind: "checking" } | { kind: "mfa" } | { kind: "error"; error: ApiError };

/** `/magic-link?token=…&redirect=…`: sign in with the emailed link (and the TOTP step if the account has it), then go where the person was going. */
export function MagicLinkPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const redirect = safeRedirect(params.get("redirect"));
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [state, setState] = useState<State>({ kind: "checking" });

  useEffect(() => {
    if (!token) return;
    let live = true;
    once(`magic:${token}`, () => verifyMagicLink(token)).then(
      async (result) => {
        if (!live) return;
        if (result.status === "mfa_required") return setState({ kind: "mfa" });
        await refresh();
        navigate(redirect, { replace: true });
      },
      (error: unknown) => live && setState({ kind: "error", error: asApiError(error) }),
    );
    return () => {
      live = false;
    };
  }, [token, refresh, navigate, redirect]);

  if (state.kind === "mfa") {
    return (
      <AuthLayout title="Two-factor authentication">
        <TotpStep onSignedIn={() => void refresh().then(() => navigate(redirect, { replace: true }))} onRestart={() => navigate(withRedirect("/login", redirect))} />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Sign in with a link">
      {!token ? (
        <PageMessage title="This link is incomplete" tone="error">
          <p>
            Open the link from the email again, or <Link to={withRedirect("/login", redirect)}>ask for a new one</Link>.
          </p>
        </PageMessage>
      ) : state.kind === "error" ? (
        <PageMessage title="This link does not work" tone="error">
          <p>{state.error.message}</p>
          <p>
            <Link to={withRedirect("/login", redirect)}>Ask for a new link</Link> from the sign-in page.
          </p>
        </PageMessage>
      ) : (
        <PageMessage busy title="Signing you in…" />
      )}
    </AuthLayout>
  );
}
