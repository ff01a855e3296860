/**
 * How to start a container that is not running: a stopped one is restarted on its machine
 * (`docker restart`); a new one with its launch command, with Copy when this browser created
 * it (the token is shown once), else "New launch command", which rotates the token: a machine
 * still holding the old one can no longer join.
 */
import { useState } from "react";
import type { ContainerRecord } from "../../../../protocol/containers";
import { asApiError } from "../../api/client";
import { useBoardStore } from "../../board/store-context";
import { newLaunchCommand } from "./api";
import { CopyCommand, LAUNCH_NEEDS } from "./CopyCommand";
import { rememberLaunchCommand, useLaunchCommand } from "./launch-commands";
import { useCan } from "./access";
import { containerPermission, notAllowed } from "./permissions";

export const ROTATE_WARNING = "A new command replaces the old one: a machine still using the old command can no longer join.";

/** Asks the worker for a new launch command and keeps it for this page; resolves with an error message, or null. */
export async function rotateLaunchCommand(org: string | undefined, container: string): Promise<string | null> {
  if (!org) return "This board is not connected to an organization.";
  try {
    const { command } = await newLaunchCommand(org, container);
    rememberLaunchCommand(container, command);
    return null;
  } catch (error) {
    return asApiError(error).message;
  }
}

export function LaunchPanel({ container }: { container: ContainerRecord }) {
  const store = useBoardStore();
  const command = useLaunchCommand(container.id);
  const can = useCan();
  const allowed = can(containerPermission(container.id, "launch"));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rotate = async () => {
    setBusy(true);
    setError(await rotateLaunchCommand(store.place?.org, container.id));
    setBusy(false);
  };
  // A stopped container still exists on its machine (stopped there, or parked by the board's Stop): restart it there.
  if (container.state === "stopped")
    return (
      <section className="uc-launch" aria-label="Start again">
        <p className="uc-hint" data-testid="container-stopped-why">
          {container.stoppedIdle
            ? `Stopped for idleness: nobody used it for ${container.stoppedIdle.minutes} min (the organization's setting). To start it again, on its machine run:`
            : "Stopped. To start it again, on its machine run:"}
        </p>
        <CopyCommand command={`docker restart kiln-${container.id}`} compact />
      </section>
    );
  if (command)
    return (
      <section className="uc-launch" aria-label="Launch command">
        <p className="uc-hint" title={LAUNCH_NEEDS}>
          Run this on a machine with Docker:
        </p>
        <CopyCommand command={command} compact />
      </section>
    );
  return (
    <section className="uc-launch" aria-label="Launch command">
      <p className="uc-hint">Not started yet. Its launch command was shown once, to whoever created it.</p>
      <div className="uc-row">
        <button type="button" className="uc-button" disabled={busy || !allowed} title={allowed ? ROTATE_WARNING : notAllowed("launch")} onClick={() => void rotate()}>
          {busy ? "Asking…" : "New launch command"}
        </button>
        <span className="uc-hint uc-warn">The old command then stops working.</span>
      </div>
      {error && (
        <p className="uc-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
