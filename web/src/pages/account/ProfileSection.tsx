import { useState, type FormEvent } from "react";
import { updateProfile } from "../../api/account";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { useMe, useSession } from "../../session/session";

/** Name and email. */
export function ProfileSection() {
  const me = useMe();
  const { refresh } = useSession();
  const [name, setName] = useState(me.user.name);
  const [saved, setSaved] = useState(false);
  const { run, pending, error } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const outcome = await run(() => updateProfile(name.trim()));
    if (!outcome.ok) return;
    setSaved(true);
    void refresh();
  };
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field label="Name" name="name" autoComplete="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} error={error?.field("name")} />
        <div className="field">
          <span className="label">Email</span>
          <p className="static">
            {me.user.email}{" "}
            {me.user.emailVerified ? <span className="badge ok">confirmed</span> : <span className="badge warn">not confirmed</span>}
          </p>
        </div>
        {!error?.field("name") && <ErrorMessage error={error} />}
        <div className="actions">
          <button type="submit" className="button primary" disabled={pending || !name.trim() || name.trim() === me.user.name}>
            {pending ? "Saving…" : "Save"}
          </button>
          {saved && (
            <span role="status" className="ok-text">
              Saved.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
