import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { resetPassword } from "../../api/auth";
import { AuthLayout } from "../../components/AuthLayout";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { PageMessage } from "../../components/PageMessage";
import { useAction } from "../../components/use-action";
import { safeRedirect, withRedirect } from "../../session/redirect";
import { useSession } from "../../session/session";
import { TotpStep } from "./TotpStep";
import { NEW_PASSWORD_HINT } from "./password-hint";

/** `/reset-password?token=…&redirect=…`: choose a new password from the emailed link, sign in, and go where the person was going. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const redirect = safeRedirect(params.get("redirect"));
  const navigate = useNavigate();
  const { refresh } = useSession();
  const [password, setPassword] = useState("");
  const [mfa, setMfa] = useState(false);
  const { run, pending, error } = useAction();

  const done = () => void refresh().then(() => navigate(redirect, { replace: true }));

  if (!token) {
    return (
      <AuthLayout title="Reset your password">
        <PageMessage title="This link is incomplete" tone="error">
          <p>
            Open the link from the email again, or <Link to={withRedirect("/forgot-password", redirect)}>ask for a new one</Link>.
          </p>
        </PageMessage>
      </AuthLayout>
    );
  }
  if (mfa) {
    return (
      <AuthLayout title="Two-factor authentication">
        <p className="alert ok" role="status">
          Your password is changed. One more step to sign in.
        </p>
        <TotpStep onSignedIn={done} onRestart={() => navigate(withRedirect("/login", redirect))} />
      </AuthLayout>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => resetPassword({ token, password }));
    if (!outcome.ok) return;
    if (outcome.value.status === "mfa_required") setMfa(true);
    else done();
  };

  const badLink = error && ["token_invalid", "token_expired", "token_used"].includes(error.code);
  return (
    <AuthLayout title="Choose a new password">
      <form onSubmit={(e) => void submit(e)} className="stack" aria-label="Choose a new password" noValidate>
        <p className="muted">This signs you out everywhere else and unlocks your account.</p>
        <Field
          label="New password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error?.field("password")}
          hint={NEW_PASSWORD_HINT}
        />
        {!error?.field("password") && <ErrorMessage error={error} />}
        {badLink && (
          <p className="hint">
            <Link to={withRedirect("/forgot-password", redirect)}>Ask for a new link</Link>.
          </p>
        )}
        <button type="submit" className="button primary wide" disabled={pending}>
          {pending ? "Saving…" : "Save password and sign in"}
        </button>
      </form>
    </AuthLayout>
  );
}
