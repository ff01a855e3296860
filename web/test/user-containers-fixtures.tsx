/** Test helpers for the user-containers web side: a board with container records, the node rendered in it, a catalog. */
import { type Node, type NodeProps, ReactFlowProvider } from "@xyflow/react";
import type { GraphNodeData } from "../src/board/flow-model";
import { render } from "@testing-library/react";
import type { ComponentType, ReactNode } from "react";
import type { CatalogImage, ContainerRecord } from "../../protocol/containers";
import { containersOf } from "../../gateway-do/src/modules/user-containers/records";
import { BoardStore } from "../src/board/store";
import { BoardContext } from "../src/board/store-context";
import type { Ack, GatewayEvent } from "../src/gateway/messages";
import { ContainerNode } from "../src/modules/user-containers/ContainerNode";
import { fakeConnection, projectDoc } from "./board-fixtures";

export const ORG = "0d6c3b8e-1f2a-4c3d-9e8f-0a1b2c3d4e5f";
export const PROJECT = "5f1e2d3c-4b5a-4697-8877-665544332211";
export const me = { userId: "ada", name: "Ada", color: "#e11d48" };

export function record(over: Partial<ContainerRecord> = {}): ContainerRecord {
  const now = Date.now();
  return {
    id: "abc123def456",
    name: "Training box",
    image: "localhost/kiln-jupyter:1",
    owner: "ada",
    project: PROJECT,
    state: "running",
    share: "project",
    address: "172.16.0.10",
    services: [{ name: "jupyter", port: 8888, protocol: "http" }],
    metrics: { cpuPercent: 37.4, memory: { used: 3.2 * 2 ** 30, total: 16 * 2 ** 30 }, disk: { used: 41 * 2 ** 30, total: 200 * 2 ** 30 }, gpus: [] },
    since: now - 3 * 60_000,
    lastSeen: now - 2_000,
    createdAt: now - 10 * 60_000,
    ...over,
  };
}

export const CATALOG: CatalogImage[] = [
  {
    image: "localhost/kiln-jupyter:1",
    name: "Jupyter",
    description: "Jupyter Server with a Python 3 kernel.",
    services: [{ name: "jupyter", port: 8888, protocol: "http" }],
    tags: ["lang:python", "app:jupyter", "os:debian"],
  },
  { image: "localhost/kiln-terminal:1", name: "Terminal", description: "A Debian shell.", services: [], tags: ["lang:bash", "app:terminal", "os:debian"] },
  {
    image: "localhost/kiln-grafana:1",
    name: "Grafana",
    description: "Dashboards for your metrics.",
    services: [{ name: "grafana", port: 3000, protocol: "http" }],
    tags: ["app:grafana", "os:alpine"],
  },
];
export const CATALOG_BODY = { images: CATALOG, domain: "containers.test", scheme: "https" };

/** A board store on a project doc holding `containers`, whose events are answered by `answer` (accepted unless it says). */
export function boardWith(containers: ContainerRecord[], answer?: (event: GatewayEvent) => Ack | undefined) {
  const { doc } = projectDoc();
  for (const c of containers) containersOf(doc).set(c.id, c);
  let seq = 0;
  const connection = fakeConnection(doc, async (event) => answer?.(event) ?? { requestId: `t${++seq}`, ok: true });
  const store = new BoardStore(connection, me, { org: ORG, project: PROJECT });
  return { doc, store, sent: connection.sent };
}

export function inBoard(store: BoardStore, children: ReactNode) {
  return render(
    <BoardContext.Provider value={store}>
      <ReactFlowProvider>{children}</ReactFlowProvider>
    </BoardContext.Provider>,
  );
}

/** A node view as the board draws it (no xyflow canvas around it), for node `id` of `type`, with the data its kind adds. */
export function renderNodeView<D extends GraphNodeData>(store: BoardStore, type: string, View: ComponentType<NodeProps<Node<D>>>, id: string, extra?: Omit<D, keyof GraphNodeData>) {
  const props: NodeProps<Node<D>> = {
    id,
    type,
    // The kind's own fields, beside what every node carries.
    data: { nodeId: id, locked: false, selectedBy: [], ...extra } as GraphNodeData as D,
    selected: false,
    dragging: false,
    zIndex: 0,
    isConnectable: true,
    positionAbsoluteX: 0,
    positionAbsoluteY: 0,
    draggable: true,
    selectable: true,
    deletable: true,
  };
  return inBoard(store, <View {...props} />);
}

/** The container node as the board draws it. */
export function renderNode(store: BoardStore, id = "abc123def456") {
  return renderNodeView(store, "container", ContainerNode, id);
}
