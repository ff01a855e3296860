/** A container's ⋯ menu: stop, restart, who may open it, a new launch command, delete (confirmed: it cannot be undone). */
import { useEffect, useRef, useState } from "react";
import { type ContainerRecord, SHARE_LEVELS, type ShareLevel, ShareLevelSchema } from "../../../../protocol/containers";
import { useBoardStore } from "../../board/store-context";
import { useCan } from "./access";
import { SHARE_WORDS } from "./format";
import { ROTATE_WARNING, rotateLaunchCommand } from "./LaunchPanel";
import { type ContainerAction, containerPermission, notAllowed } from "./permissions";

const STOPPABLE = new Set(["connecting", "running", "unreachable"]);
/** States where a new launch command helps (not started, stopped, or lost) and cuts nothing off. */
export const ROTABLE = new Set(["created", "stopped", "unreachable"]);

export function ContainerMenu({ container, onClose }: { container: ContainerRecord; onClose: () => void }) {
  const store = useBoardStore();
  const can = useCan();
  const ref = useRef<HTMLDivElement>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const away = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && onClose();
    const esc = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("mousedown", away);
    window.addEventListener("keydown", esc);
    ref.current?.querySelector<HTMLElement>("button:not(:disabled), select")?.focus({ preventScroll: true });
    return () => {
      window.removeEventListener("mousedown", away);
      window.removeEventListener("keydown", esc);
    };
  }, [onClose]);

  const send = (action: "stop" | "restart" | "delete", extra: Record<string, unknown> = {}) => {
    onClose();
    void store.run({ events: [{ type: `user-containers:${action}`, container: container.id, ...extra }] });
  };
  const share = (level: ShareLevel) => {
    if (level !== container.share) void store.run({ events: [{ type: "user-containers:share", container: container.id, share: level }] });
  };
  /** Disabled for a missing permission (saying so) or a state it cannot apply to. */
  const guard = (action: ContainerAction, stateOk: boolean, stateWhy: string) => {
    if (!can(containerPermission(container.id, action))) return { disabled: true, title: notAllowed(action) };
    return stateOk ? { disabled: false, title: undefined } : { disabled: true, title: stateWhy };
  };
  const stop = guard("stop", STOPPABLE.has(container.state), "Only a started container can be stopped.");
  const restart = guard("restart", container.state === "running", "Only a running container can restart its services.");
  const sharing = guard("share", true, "");
  const renew = guard("launch", ROTABLE.has(container.state), "It is started: a new command would cut it off when it next reconnects.");
  const remove = guard("delete", true, "");

  if (confirming)
    return (
      <div ref={ref} className="uc-menu nodrag" role="alertdialog" aria-label="Delete container">
        <p>
          Delete <b>{container.name}</b>? Its launch command stops working and its apps close. <b>This cannot be undone.</b>
        </p>
        <div className="uc-row">
          <button type="button" className="uc-button is-danger" onClick={() => send("delete")}>
            Delete
          </button>
          <button type="button" className="uc-button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    );
  return (
    <div ref={ref} className="uc-menu nodrag" role="menu" aria-label="Container actions">
      <button type="button" role="menuitem" {...stop} onClick={() => send("stop")}>
        Stop
      </button>
      <button type="button" role="menuitem" {...restart} onClick={() => send("restart")}>
        Restart services
      </button>
      <label className="uc-share" title={sharing.title}>
        Who may open it
        <select
          value={container.share}
          disabled={sharing.disabled}
          onChange={(e) => {
            const level = ShareLevelSchema.safeParse(e.target.value);
            if (level.success) share(level.data);
          }}
        >
          {SHARE_LEVELS.map((level) => (
            <option key={level} value={level}>
              {SHARE_WORDS[level]}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        role="menuitem"
        disabled={renew.disabled}
        title={renew.title ?? ROTATE_WARNING}
        onClick={() => void rotateLaunchCommand(store.place?.org, container.id).then((e) => (e ? setError(e) : onClose()))}
      >
        New launch command
      </button>
      <button type="button" role="menuitem" className="is-danger" {...remove} onClick={() => setConfirming(true)}>
        Delete…
      </button>
      {error && (
        <p className="uc-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
