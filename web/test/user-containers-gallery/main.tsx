/**
 * The container node and the create dialog on a real board (the board's Canvas, toolbar and
 * styles, a local doc), for screenshots (web/test/user-containers-screenshots.ts). The API is
 * answered in the page: the catalog, this person's roles, create and a new launch command.
 * `?scene=board` every state; `?scene=node-<state>` one node; `?scene=dialog` the dialog.
 */
import "@xyflow/react/dist/style.css";
import "../../src/styles.css";
import "../../src/board/board.css";
import { ReactFlowProvider } from "@xyflow/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { ContainerRecord, ContainerState } from "../../../protocol/containers";
import { nodesOf } from "../../../gateway-do/src/modules/core-graph";
import { modules } from "../../../gateway-do/src/modules/registry";
import { containersOf } from "../../../gateway-do/src/modules/user-containers/records";
import { placeNode } from "../../../gateway-do/src/modules/whiteboard";
import { Canvas } from "../../src/board/Canvas";
import { BoardStore } from "../../src/board/store";
import { BoardContext } from "../../src/board/store-context";
import { Toolbar } from "../../src/board/Toolbar";
import { useBoardActions } from "../../src/board/use-board-actions";
import type { ConnectionStatus } from "../../src/gateway/provider";
import { boardOverlays } from "../../src/modules/registry";
import { openCreateDialog } from "../../src/modules/user-containers/create-dialog-state";
import { rememberLaunchCommand } from "../../src/modules/user-containers/launch-commands";

const ORG = "0d6c3b8e-1f2a-4c3d-9e8f-0a1b2c3d4e5f";
const PROJECT = "5f1e2d3c-4b5a-4697-8877-665544332211";
const GB = 2 ** 30;
const now = Date.now();
const command = (id: string, image: string) =>
  `docker run -d --name kiln-${id} --restart unless-stopped --cap-add=NET_ADMIN --device /dev/net/tun -e KILN_CONTAINER=${id} -e KILN_TOKEN=kct.${ORG}.${id}.q8Zp3mW1vXbN7cRt0yLkD2sFh4gJe6aUiO9nVwPx5 -e KILN_BRIDGE=https://bridge.kiln.example ${image}`;

const base = (id: string, over: Partial<ContainerRecord>): ContainerRecord => ({
  id,
  name: "Training box",
  image: "localhost/kiln-jupyter:1",
  owner: "ada",
  project: PROJECT,
  state: "running",
  share: "project",
  address: "172.16.0.10",
  services: [{ name: "jupyter", port: 8888, protocol: "http" }],
  metrics: { cpuPercent: 37.4, memory: { used: 3.2 * GB, total: 16 * GB }, disk: { used: 41 * GB, total: 200 * GB }, gpus: [] },
  since: now - 3 * 60_000,
  lastSeen: now - 2000,
  createdAt: now - 60 * 60_000,
  ...over,
});

const SAMPLES: Record<Exclude<ContainerState, "deleted">, ContainerRecord> = {
  created: base("crt000000001", { name: "Fresh notebook", state: "created", address: null, metrics: null, since: now - 20_000 }),
  connecting: base("con000000001", { name: "Data prep", state: "connecting", metrics: null, since: now - 8_000 }),
  running: base("run000000001", {
    name: "GPU trainer",
    image: "ghcr.io/acme/trainer:2.1",
    services: [
      { name: "jupyter", port: 8888, protocol: "http" },
      { name: "tensorboard", port: 6006, protocol: "http" },
      { name: "redis", port: 6379, protocol: "tcp" },
    ],
    metrics: { cpuPercent: 212, memory: { used: 22.5 * GB, total: 64 * GB }, disk: { used: 310 * GB, total: 1024 * GB }, gpus: [{ name: "NVIDIA L4", utilPercent: 81, memoryUsed: 17.2 * GB, memoryTotal: 24 * GB }] },
    since: now - 47 * 60_000,
  }),
  unreachable: base("unr000000001", { name: "Laptop shell", image: "localhost/kiln-terminal:1", state: "unreachable", services: [], since: now - 4 * 60_000 }),
  stopped: base("stp000000001", { name: "Old dashboards", image: "localhost/kiln-grafana:1", state: "stopped", services: [{ name: "grafana", port: 3000, protocol: "http" }], since: now - 26 * 3600_000 }),
};

const CATALOG = {
  images: [
    { image: "localhost/kiln-jupyter:1", name: "Jupyter", description: "Jupyter Server with a Python 3 kernel (ipykernel): notebooks and kernels for the board's cells.", services: [{ name: "jupyter", port: 8888, protocol: "http" }], tags: ["lang:python", "app:jupyter", "os:debian"] },
    { image: "localhost/kiln-terminal:1", name: "Terminal", description: "A Debian shell (bash, git, curl, vim) to work in from the board.", services: [], tags: ["lang:bash", "app:terminal", "os:debian"] },
    { image: "localhost/kiln-grafana:1", name: "Grafana", description: "Dashboards over Prometheus metrics.", services: [{ name: "grafana", port: 3000, protocol: "http" }], tags: ["app:grafana", "os:alpine"] },
    { image: "localhost/kiln-pytorch:1", name: "PyTorch", description: "PyTorch with CUDA 12 and JupyterLab, for a machine with an NVIDIA GPU.", services: [{ name: "jupyter", port: 8888, protocol: "http" }], tags: ["lang:python", "gpu:cuda", "app:jupyter"] },
  ],
  domain: "containers.kiln.example",
  scheme: "https",
};

// The API, answered here.
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = String(input);
  const method = init?.method ?? "GET";
  if (url === "/api/containers/catalog") return json(CATALOG);
  if (url === `/api/orgs/${ORG}`) return json({ id: ORG, name: "Acme", role: "member", createdAt: new Date(now).toISOString() });
  if (url === `/api/orgs/${ORG}/projects/${PROJECT}`) return json({ id: PROJECT, orgId: ORG, name: "Research", visibility: "org", role: "member", createdAt: new Date(now).toISOString() });
  if (method === "POST" && url.endsWith("/containers")) {
    const body = JSON.parse(String(init?.body)) as { name: string; image: string };
    const record = base("new000000001", { name: body.name, image: body.image, state: "created", metrics: null, since: Date.now() });
    // What the gateway does: the node, its record, its place where the dialog was opened.
    doc.transact(() => {
      nodesOf(doc).set(record.id, { id: record.id, kind: "container", createdBy: "ada", createdAt: record.createdAt });
      containersOf(doc).set(record.id, record);
      placeNode(doc, { viewId: "main", nodeId: record.id, x: 720, y: 300, width: 320, height: 240 });
    });
    return json({ container: record, token: "kct.x", command: command(record.id, body.image) }, 201);
  }
  return json({ error: { code: "not_found", message: `No ${method} ${url} here.` } }, 404);
};

const scene = new URLSearchParams(location.search).get("scene") ?? "board";
const doc = new Y.Doc();
doc.transact(() => modules.forEach((m) => m.seed?.(doc, 1)));
const shown = scene.startsWith("node-") ? [SAMPLES[scene.slice(5) as keyof typeof SAMPLES]] : Object.values(SAMPLES);
doc.transact(() => {
  shown.forEach((c, i) => {
    nodesOf(doc).set(c.id, { id: c.id, kind: "container", createdBy: "ada", createdAt: c.createdAt });
    containersOf(doc).set(c.id, c);
    placeNode(doc, { viewId: "main", nodeId: c.id, x: (i % 3) * 360, y: Math.floor(i / 3) * 280, width: 320, height: 240 });
  });
});
rememberLaunchCommand(SAMPLES.created.id, command(SAMPLES.created.id, SAMPLES.created.image));

const connection = {
  doc,
  awareness: new Awareness(doc),
  status: "online" as ConnectionStatus,
  deniedReason: null,
  sendEvent: async () => ({ requestId: "r", ok: true as const }),
  on: () => () => {},
};
const store = new BoardStore(connection, { userId: "ada", name: "Ada", color: "#e11d48" }, { org: ORG, project: PROJECT });
if (scene === "dialog") openCreateDialog(store, "main", { x: 720, y: 300 });

function Board() {
  const actions = useBoardActions();
  return (
    <div className="editor" style={{ height: "100vh" }}>
      <Toolbar actions={actions} edgeKind="relates-to" onEdgeKind={() => {}} />
      <div className="editor-body">
        <Canvas edgeKind="relates-to" />
      </div>
      {boardOverlays().map((Overlay, i) => (
        <Overlay key={i} />
      ))}
    </div>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BoardContext.Provider value={store}>
      <ReactFlowProvider>
        <Board />
      </ReactFlowProvider>
    </BoardContext.Provider>
  </StrictMode>,
);
