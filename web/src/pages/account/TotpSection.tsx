import { useState, type FormEvent } from "react";
import { disableTotp, enableTotp, regenerateRecoveryCodes, startTotpSetup } from "../../api/account";
import { CopyButton } from "../../components/CopyButton";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { QrCode } from "../../components/QrCode";
import { useAction } from "../../components/use-action";
import { useMe, useSession } from "../../session/session";
import { RecoveryCodes } from "./RecoveryCodes";

type Step = { kind: "idle" } | { kind: "setup"; secret: string; otpauthUri: string } | { kind: "codes"; codes: string[] } | { kind: "disable" } | { kind: "regenerate" };

/** Two-factor authentication: enrol with a QR code, recovery codes once, regenerate, turn off. */
export function TotpSection() {
  const me = useMe();
  const { refresh } = useSession();
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const { run, pending, error, setError } = useAction();
  const enabled = me.user.totpEnabled;

  const go = (next: Step) => {
    setError(null);
    setCode("");
    setPassword("");
    setStep(next);
  };
  const begin = async () => {
    const outcome = await run(startTotpSetup);
    if (outcome.ok) go({ kind: "setup", ...outcome.value });
  };
  const enable = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => enableTotp(code));
    if (!outcome.ok) return;
    go({ kind: "codes", codes: outcome.value.recoveryCodes });
    void refresh();
  };
  const regenerate = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => regenerateRecoveryCodes(code));
    if (outcome.ok) go({ kind: "codes", codes: outcome.value.recoveryCodes });
  };
  const disable = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => disableTotp(password ? { password } : { code }));
    if (!outcome.ok) return;
    await refresh();
    go({ kind: "idle" });
  };

  const codeField = (
    <Field
      label="Code from your app"
      name="totp-code"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={7}
      className="code-field"
      value={code}
      onChange={(e) => setCode(e.target.value)}
      error={error?.field("code") ?? (error?.code === "invalid_code" || error?.code === "invalid_credentials" ? error.message : undefined)}
    />
  );
  const generalError = !error?.field("code") && error?.code !== "invalid_code" && error?.code !== "invalid_credentials" ? error : null;

  return (
    <section className="card" aria-labelledby="totp-title">
      <h2 id="totp-title">
        Two-factor authentication <span className={`badge ${enabled ? "ok" : ""}`}>{enabled ? "on" : "off"}</span>
      </h2>
      {step.kind === "idle" && (
        <>
          <p className="muted">
            {enabled
              ? "Signing in asks for a code from your authenticator app after your password or link."
              : "Add a code from an authenticator app (1Password, Google Authenticator, Aegis…) to every sign-in."}
          </p>
          <ErrorMessage error={error} />
          <div className="actions">
            {enabled ? (
              <>
                <button type="button" className="button" onClick={() => go({ kind: "regenerate" })}>
                  New recovery codes
                </button>
                <button type="button" className="button danger-quiet" onClick={() => go({ kind: "disable" })}>
                  Turn off
                </button>
              </>
            ) : (
              <button type="button" className="button primary" disabled={pending} onClick={() => void begin()}>
                {pending ? "Starting…" : "Set up two-factor authentication"}
              </button>
            )}
          </div>
        </>
      )}
      {step.kind === "setup" && (
        <form onSubmit={(e) => void enable(e)} className="totp-setup">
          <QrCode value={step.otpauthUri} label="QR code to scan with your authenticator app" />
          <div className="stack">
            <p>1. Scan the QR code with your authenticator app, or type in this key:</p>
            <p className="secret">
              <code data-testid="totp-secret">{step.secret.replace(/(.{4})/g, "$1 ").trim()}</code> <CopyButton text={step.secret} />
            </p>
            <p>2. Enter the 6-digit code it shows.</p>
            {codeField}
            <ErrorMessage error={generalError} />
            <div className="actions">
              <button type="submit" className="button primary" disabled={pending || !code.trim()}>
                {pending ? "Checking…" : "Turn on"}
              </button>
              <button type="button" className="button" onClick={() => go({ kind: "idle" })}>
                Cancel
              </button>
            </div>
          </div>
        </form>
      )}
      {step.kind === "codes" && (
        <RecoveryCodes
          codes={step.codes}
          onDone={() => {
            void refresh();
            go({ kind: "idle" });
          }}
        />
      )}
      {step.kind === "regenerate" && (
        <form onSubmit={(e) => void regenerate(e)} className="stack">
          <p className="muted">New codes replace all the old ones. Confirm with a code from your app.</p>
          {codeField}
          <ErrorMessage error={generalError} />
          <div className="actions">
            <button type="submit" className="button primary" disabled={pending || !code.trim()}>
              Replace recovery codes
            </button>
            <button type="button" className="button" onClick={() => go({ kind: "idle" })}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {step.kind === "disable" && (
        <form onSubmit={(e) => void disable(e)} className="stack">
          <p className="muted">Confirm with your password, or with a code from your app.</p>
          <Field label="Password" type="password" name="disable-password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          {codeField}
          <ErrorMessage error={generalError} />
          <div className="actions">
            <button type="submit" className="button danger" disabled={pending || (!password && !code.trim())}>
              Turn off two-factor authentication
            </button>
            <button type="button" className="button" onClick={() => go({ kind: "idle" })}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
