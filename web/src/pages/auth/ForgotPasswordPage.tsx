import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { requestPasswordReset } from "../../api/auth";
import { AuthLayout } from "../../components/AuthLayout";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { useRetryWait } from "../../components/use-retry-wait";
import { safeRedirect, withRedirect } from "../../session/redirect";
import { DevMailboxHint } from "./DevMailboxHint";

/** `/forgot-password`: email a reset link (which returns to `?redirect=` once the password is changed). */
export function ForgotPasswordPage() {
  const [params] = useSearchParams();
  const redirect = safeRedirect(params.get("redirect"));
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { run, pending, error } = useAction();
  const wait = useRetryWait(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => requestPasswordReset(email, redirect));
    if (outcome.ok) setSentTo(email.trim());
  };

  return (
    <AuthLayout
      title="Reset your password"
      footer={
        <p>
          Remembered it? <Link to={withRedirect("/login", redirect)}>Sign in</Link>
        </p>
      }
    >
      {sentTo ? (
        <div className="alert ok" role="status">
          <p>
            If an account uses <strong>{sentTo}</strong>, a link to choose a new password is on its way. It works once, for an hour.
          </p>
          <DevMailboxHint email={sentTo} />
        </div>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack" aria-label="Reset your password">
          <p className="muted">Enter the email of your account and we will send you a link to choose a new password. It also unlocks a locked account.</p>
          <Field label="Email" type="email" name="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} error={error?.field("email")} />
          {!error?.field("email") && <ErrorMessage error={error} />}
          <button type="submit" className="button primary wide" disabled={pending || wait > 0}>
            {pending ? "Sending…" : "Email me a reset link"}
          </button>
        </form>
      )}
    </AuthLayout>
  );
}
