import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { listProviders, requestMagicLink, signIn } from "../../api/auth";
import type { OAuthProvider } from "../../api/types";
import { AuthLayout } from "../../components/AuthLayout";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { useRetryWait } from "../../components/use-retry-wait";
import { safeRedirect, withRedirect } from "../../session/redirect";
import { useSession } from "../../session/session";
import { DevMailboxHint } from "./DevMailboxHint";
import { TotpStep } from "./TotpStep";

/** `/login`: password, emailed link or a provider; then the TOTP step when the account has it. */
export function LoginPage() {
  const [params, setParams] = useSearchParams();
  const { state, refresh, signOut } = useSession();
  const navigate = useNavigate();
  const redirect = safeRedirect(params.get("redirect"));
  const totpStep = params.get("step") === "totp" || state.status === "mfa_pending";

  const finish = useCallback(() => {
    void refresh().then(() => navigate(redirect, { replace: true }));
  }, [refresh, navigate, redirect]);

  if (state.status === "signed_in") return <Navigate replace to={redirect} />;

  if (totpStep) {
    return (
      <AuthLayout title="Two-factor authentication">
        <TotpStep
          onSignedIn={finish}
          onRestart={() => {
            void signOut().then(() => {
              params.delete("step");
              setParams(params, { replace: true });
            });
          }}
        />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Sign in to Kiln"
      footer={
        <p>
          New to Kiln? <Link to={withRedirect("/signup", redirect)}>Create an account</Link>
        </p>
      }
    >
      <OAuthFailure error={params.get("error")} message={params.get("message")} />
      <PasswordForm
        redirect={redirect}
        onMfa={() => {
          params.set("step", "totp");
          setParams(params);
        }}
        onSignedIn={finish}
      />
      <Providers redirect={redirect} />
    </AuthLayout>
  );
}

function OAuthFailure({ error, message }: { error: string | null; message: string | null }) {
  if (!error) return null;
  return (
    <div className="alert error" role="alert">
      <p>{message || "Signing in with that provider did not work. Try again, or use your email."}</p>
    </div>
  );
}

function PasswordForm({ redirect, onMfa, onSignedIn }: { redirect: string; onMfa: () => void; onSignedIn: () => void }) {
  // An invitation's page sends its address along.
  const [params] = useSearchParams();
  const [email, setEmail] = useState(() => params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [linkSentTo, setLinkSentTo] = useState<string | null>(null);
  const login = useAction();
  const magic = useAction();
  const wait = useRetryWait(login.error);
  const emailRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setLinkSentTo(null);
    magic.setError(null);
    const outcome = await login.run(() => signIn({ email, password }));
    if (!outcome.ok) return;
    if (outcome.value.status === "mfa_required") onMfa();
    else onSignedIn();
  };

  const emailLink = async () => {
    login.setError(null);
    if (!email.trim()) {
      emailRef.current?.focus();
      magic.setError(null);
      setLinkSentTo("");
      return;
    }
    const outcome = await magic.run(() => requestMagicLink(email, redirect));
    if (outcome.ok) setLinkSentTo(email.trim());
  };

  const error = login.error ?? magic.error;
  return (
    <form onSubmit={(e) => void submit(e)} className="stack" aria-label="Sign in with email">
      <Field
        ref={emailRef}
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        required
        autoFocus
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={error?.field("email") ?? (linkSentTo === "" ? "Enter your email, and we will send a sign-in link to it." : undefined)}
      />
      <Field
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint={<Link to={withRedirect("/forgot-password", redirect)}>Forgot your password?</Link>}
      />
      {!error?.field("email") && <ErrorMessage error={error} />}
      <button type="submit" className="button primary wide" disabled={login.pending || wait > 0}>
        {login.pending ? "Signing in…" : "Sign in"}
      </button>
      <div className="divider">
        <span>or</span>
      </div>
      <button type="button" className="button wide" onClick={() => void emailLink()} disabled={magic.pending}>
        {magic.pending ? "Sending…" : "Email me a sign-in link"}
      </button>
      {linkSentTo && (
        <div className="alert ok" role="status">
          <p>
            Check your inbox: a sign-in link is on its way to <strong>{linkSentTo}</strong>. It works once, for 15 minutes.
          </p>
          <DevMailboxHint email={linkSentTo} />
        </div>
      )}
    </form>
  );
}

function Providers({ redirect }: { redirect: string }) {
  const [providers, setProviders] = useState<OAuthProvider[]>([]);
  useEffect(() => {
    let live = true;
    // Without providers (or when the list fails) the page simply offers email sign-in.
    listProviders().then(
      (r) => live && setProviders(r.providers),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (providers.length === 0) return null;
  return (
    <div className="stack providers" aria-label="Sign in with a provider" role="group">
      {providers.map((p) => (
        <a key={p.id} className="button wide" href={`${p.startUrl}?redirect=${encodeURIComponent(redirect)}`}>
          Continue with {p.name}
        </a>
      ))}
    </div>
  );
}
