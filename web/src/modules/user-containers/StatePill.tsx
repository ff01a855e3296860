/** A container's state as a coloured pill with how long it has been so: "running · 3 min". */
import type { ContainerState } from "../../../../protocol/containers";
import { STATE_HINTS, stateLine } from "./format";
import { useNow } from "./use-now";

export function StatePill({ state, since }: { state: ContainerState; since: number }) {
  const now = useNow();
  return (
    <span className={`uc-pill uc-state-${state}`} title={STATE_HINTS[state]} data-testid="container-state">
      <span className="uc-dot" aria-hidden="true" />
      {stateLine(state, since, now)}
    </span>
  );
}
