import { useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { signUp } from "../../api/auth";
import { AuthLayout } from "../../components/AuthLayout";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { useRetryWait } from "../../components/use-retry-wait";
import { safeRedirect, withRedirect } from "../../session/redirect";
import { useSession } from "../../session/session";
import { NEW_PASSWORD_HINT } from "./password-hint";

const FIELDS = ["name", "email", "password"];

/** `/signup`: an account with email and password; signed in at once, the email confirmed by link. */
export function SignupPage() {
  const [params] = useSearchParams();
  const redirect = safeRedirect(params.get("redirect"));
  const { state, refresh } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  // An invitation's page sends its address along.
  const [email, setEmail] = useState(() => params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const { run, pending, error } = useAction();
  const wait = useRetryWait(error);

  if (state.status === "signed_in" && !pending) return <Navigate replace to={redirect} />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => signUp({ email, password, name: name.trim() || undefined }));
    if (!outcome.ok) return;
    await refresh();
    navigate(redirect, { replace: true });
  };

  // Messages about named inputs go under them; anything else above the button.
  const general = error && !FIELDS.some((f) => error.field(f)) ? error : null;
  return (
    <AuthLayout
      title="Create your Kiln account"
      footer={
        <p>
          Already have an account? <Link to={withRedirect("/login", redirect)}>Sign in</Link>
        </p>
      }
    >
      <form onSubmit={(e) => void submit(e)} className="stack" aria-label="Create an account" noValidate>
        <Field label="Your name" name="name" autoComplete="name" autoFocus value={name} onChange={(e) => setName(e.target.value)} error={error?.field("name")} hint="How your team sees you. You can change it later." />
        <Field label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={error?.field("email")} />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error?.field("password")}
          hint={NEW_PASSWORD_HINT}
        />
        <ErrorMessage error={general} />
        {error?.code === "email_taken" && (
          <p className="hint">
            <Link to={withRedirect("/login", redirect)}>Sign in</Link> or <Link to={withRedirect("/forgot-password", redirect)}>reset your password</Link>.
          </p>
        )}
        <button type="submit" className="button primary wide" disabled={pending || wait > 0}>
          {pending ? "Creating your account…" : "Create account"}
        </button>
        <p className="hint">We will email you a link to confirm your address.</p>
      </form>
    </AuthLayout>
  );
}
