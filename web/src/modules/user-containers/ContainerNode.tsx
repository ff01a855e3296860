/**
 * A user container on the board, live from the project doc: its name and image, its state as
 * a coloured pill with how long it has been so, its last metrics, its services with Open, how
 * to launch it while it is not started, and its ⋯ menu. Zoomed out: name and state only.
 */
import "./containers.css";
import type { Node, NodeProps } from "@xyflow/react";
import { type CSSProperties, useCallback, useState } from "react";
import type { ContainerRecord, Metrics } from "../../../../protocol/containers";
import type { GraphNodeData } from "../../board/flow-model";
import { Icon } from "../../board/Icon";
import { NodeFrame } from "../../board/nodes/NodeFrame";
import { useFarZoom } from "../../board/zoom";
import { ContainerMenu, ROTABLE } from "./ContainerMenu";
import { metricRows } from "./format";
import { LaunchPanel } from "./LaunchPanel";
import { useLaunchCommand } from "./launch-commands";
import { useContainer } from "./records";
import { ServiceList } from "./ServiceList";
import { StatePill } from "./StatePill";

/** States whose metrics are worth showing: live, or just lost (then dimmed). */
const LIVE = new Set(["connecting", "running", "unreachable"]);

/** A container, as a 24×24 line icon. */
export const CONTAINER_ICON = { d: "M12 3l8 4.5v9L12 21l-8-4.5v-9z M4 7.5l8 4.5 8-4.5 M12 12v9" };

export function ContainerNode({ id, data, selected }: NodeProps<Node<GraphNodeData>>) {
  const far = useFarZoom();
  const container = useContainer(id);
  const frame = { id, kind: "container", selected: !!selected, locked: data.locked, selectedBy: data.selectedBy, minWidth: 240, minHeight: 120 };
  if (!container)
    return (
      <NodeFrame {...frame}>
        <header className="node-handle uc-head">
          <Icon name={CONTAINER_ICON} />
          <span className="node-title muted">Container</span>
        </header>
      </NodeFrame>
    );
  if (far)
    return (
      <NodeFrame {...frame} far>
        <div className={`uc-far node-handle uc-state-${container.state}`}>
          <span className="uc-dot" aria-hidden="true" />
          {container.name}
        </div>
      </NodeFrame>
    );
  return (
    <NodeFrame {...frame}>
      <FullContainer container={container} />
    </NodeFrame>
  );
}

function FullContainer({ container }: { container: ContainerRecord }) {
  const [menu, setMenu] = useState(false);
  const close = useCallback(() => setMenu(false), []);
  const command = useLaunchCommand(container.id);
  const launching = container.state === "created" || container.state === "stopped" || (command !== undefined && ROTABLE.has(container.state));
  return (
    <>
      <header className="node-handle uc-head">
        <Icon name={CONTAINER_ICON} />
        <span className="node-title" title={container.name}>
          {container.name}
        </span>
        <button type="button" className="uc-more nodrag" aria-label="Container actions" aria-haspopup="menu" aria-expanded={menu} onClick={() => setMenu((m) => !m)}>
          ⋯
        </button>
      </header>
      <div className="uc-body nodrag nowheel">
        <div className="uc-status">
          <StatePill state={container.state} since={container.since} />
          <code className="uc-image" title={container.image}>
            {container.image}
          </code>
        </div>
        {container.metrics && LIVE.has(container.state) && <MetricsRows metrics={container.metrics} stale={container.state !== "running"} />}
        <ServiceList container={container} />
        {launching && <LaunchPanel container={container} />}
      </div>
      {menu && <ContainerMenu container={container} onClose={close} />}
    </>
  );
}

function MetricsRows({ metrics, stale }: { metrics: Metrics; stale: boolean }) {
  return (
    <ul className={`uc-metrics${stale ? " is-stale" : ""}`} aria-label={stale ? "Last metrics reported" : "Metrics"} title={stale ? "The last metrics it reported" : undefined}>
      {metricRows(metrics).map((row) => (
        // The chip fills with the share used: a bar without taking a line of its own.
        <li key={row.label} className="uc-metric" title={row.title} style={{ "--fill": `${row.fill}%` } as CSSProperties}>
          <b>{row.label}</b> {row.value}
        </li>
      ))}
    </ul>
  );
}
