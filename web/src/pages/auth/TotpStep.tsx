import { useEffect, useRef, useState, type FormEvent } from "react";
import { submitSecondFactor } from "../../api/auth";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { useRetryWait } from "../../components/use-retry-wait";

/** The second step of signing in: a code from the authenticator app, or a recovery code. */
export function TotpStep({ onSignedIn, onRestart }: { onSignedIn: () => void; onRestart: () => void }) {
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState("");
  const { run, pending, error } = useAction();
  const wait = useRetryWait(error);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), [recovery]);
  // Already signed in (another tab finished the step): nothing is owed.
  useEffect(() => {
    if (error?.code === "not_pending") onSignedIn();
  }, [error, onSignedIn]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => submitSecondFactor(recovery ? { recoveryCode: value.trim() } : { code: value.replace(/\s/g, "") }));
    if (outcome.ok) onSignedIn();
  };

  // No pending sign-in any more (it expired, or was never started here): start again.
  const lost = error?.status === 401 && error.code !== "invalid_code";

  return (
    <form onSubmit={(e) => void submit(e)} className="stack" aria-label="Two-factor authentication">
      <p className="muted">
        {recovery
          ? "Enter one of the recovery codes you saved when you turned on two-factor authentication. Each works once."
          : "Open your authenticator app and enter the 6-digit code for Kiln."}
      </p>
      {recovery ? (
        <Field
          key="recovery"
          ref={inputRef}
          label="Recovery code"
          name="recoveryCode"
          autoComplete="off"
          spellCheck={false}
          placeholder="xxxx-xxxx-xxxx-xxxx"
          required
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={error?.field("recoveryCode")}
        />
      ) : (
        <Field
          key="code"
          ref={inputRef}
          label="Authentication code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          placeholder="123 456"
          className="code-field"
          required
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={error?.field("code")}
        />
      )}
      {lost ? (
        <div className="alert error" role="alert">
          <p>This sign-in has expired. Start again with your email and password.</p>
        </div>
      ) : (
        !error?.field("code") && !error?.field("recoveryCode") && <ErrorMessage error={error} />
      )}
      <button type="submit" className="button primary wide" disabled={pending || wait > 0}>
        {pending ? "Checking…" : "Verify and sign in"}
      </button>
      <div className="row-between">
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setRecovery(!recovery);
            setValue("");
          }}
        >
          {recovery ? "Use a code from your app" : "Use a recovery code instead"}
        </button>
        <button type="button" className="link-button" onClick={onRestart}>
          Start over
        </button>
      </div>
    </form>
  );
}
