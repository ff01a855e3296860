import { useState, type FormEvent } from "react";
import { changePassword } from "../../api/account";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { useRetryWait } from "../../components/use-retry-wait";
import { NEW_PASSWORD_HINT } from "../auth/password-hint";

/** Change the password (signs out every other session). */
export function PasswordSection() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [done, setDone] = useState(false);
  const { run, pending, error } = useAction();
  const wait = useRetryWait(error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const outcome = await run(() => changePassword({ currentPassword: current || undefined, newPassword: next }));
    if (!outcome.ok) return;
    setDone(true);
    setCurrent("");
    setNext("");
  };
  const fieldError = error?.field("currentPassword") ?? error?.field("newPassword");
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form onSubmit={(e) => void submit(e)} className="stack" noValidate>
        <Field
          label="Current password"
          type="password"
          name="current-password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={error?.field("currentPassword") ?? (error?.code === "invalid_credentials" ? error.message : undefined)}
          hint="Leave empty if you signed up with a link or a provider and have no password yet."
        />
        <Field
          label="New password"
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={error?.field("newPassword")}
          hint={NEW_PASSWORD_HINT}
        />
        {!fieldError && error?.code !== "invalid_credentials" && <ErrorMessage error={error} />}
        <div className="actions">
          <button type="submit" className="button primary" disabled={pending || !next || wait > 0}>
            {pending ? "Saving…" : "Change password"}
          </button>
          {done && (
            <span role="status" className="ok-text">
              Password changed. Your other sessions are signed out.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
