/**
 * The org settings' card for idle culling: off, or stop running containers after N minutes
 * without use. What use means is said next to it, since it is not "a browser tab is open".
 */
import { useEffect, useState, type FormEvent } from "react";
import { IDLE_MINUTES } from "../../../../protocol/api/containers";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { fetchContainerSettings, saveContainerSettings } from "./api";

export function IdleSettings({ org }: { org: string }) {
  const [saved, setSaved] = useState<number | null | undefined>(undefined);
  const [enabled, setEnabled] = useState(false);
  const [minutes, setMinutes] = useState("60");
  const [done, setDone] = useState(false);
  const load = useAction();
  const save = useAction();

  useEffect(() => {
    let live = true;
    void load.run(() => fetchContainerSettings(org)).then((outcome) => {
      if (!live || !outcome.ok) return;
      setSaved(outcome.value.idleMinutes);
      setEnabled(outcome.value.idleMinutes !== null);
      if (outcome.value.idleMinutes !== null) setMinutes(String(outcome.value.idleMinutes));
    });
    return () => {
      live = false;
    };
  }, [org, load.run]);

  const wanted = enabled ? Number(minutes) : null;
  const valid = wanted === null || (Number.isInteger(wanted) && wanted >= IDLE_MINUTES.min && wanted <= IDLE_MINUTES.max);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const outcome = await save.run(() => saveContainerSettings(org, { idleMinutes: wanted }));
    if (!outcome.ok) return;
    setSaved(outcome.value.idleMinutes);
    setDone(true);
  };

  return (
    <section className="card" aria-labelledby="idle-title">
      <h2 id="idle-title">Idle containers</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p className="hint">
          Stop a running container when it has been idle for a while. Idle means nobody used it: no visitor opened one of its pages or sockets or sent it
          anything, nobody typed in its terminal, and no notebook cell ran on it. A browser tab left open does not count as use. A stopped container starts
          again with <code>docker restart</code> on its machine.
        </p>
        {saved === undefined && !load.error && <p className="hint">Loading…</p>}
        <ErrorMessage error={load.error} />
        <label>
          <input
            type="checkbox"
            name="idle-enabled"
            checked={enabled}
            disabled={saved === undefined}
            onChange={(e) => {
              setEnabled(e.target.checked);
              setDone(false);
            }}
          />
          Stop idle containers
        </label>
        {enabled && (
          <Field
            label="Minutes without use"
            name="idle-minutes"
            type="number"
            inputMode="numeric"
            min={IDLE_MINUTES.min}
            max={IDLE_MINUTES.max}
            step={1}
            required
            value={minutes}
            onChange={(e) => {
              setMinutes(e.target.value);
              setDone(false);
            }}
            error={valid ? undefined : `From ${IDLE_MINUTES.min} minutes to ${IDLE_MINUTES.max} (a week).`}
          />
        )}
        <ErrorMessage error={save.error} />
        {done && (
          <p className="alert ok" role="status">
            {saved === null ? "Idle containers are no longer stopped." : `Containers idle for ${saved} minutes are stopped.`}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button primary" disabled={save.pending || saved === undefined || !valid || wanted === saved}>
            {save.pending ? "Saving…" : "Save"}
          </button>
        </div>
      </form>
    </section>
  );
}
