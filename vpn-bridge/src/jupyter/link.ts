/**
 * One org's kernels on this bridge: the gateway's `jupyter` socket (`/gw/{org}/m/jupyter/bridge`)
 * and the executor it drives. Opened alongside the org's containers socket, closed with it.
 */
import type { BridgeRoute } from "../../../protocol/containers.ts";
import { BridgeToJupyterSchema, JupyterToBridgeSchema } from "../../../protocol/jupyter.ts";
import { describeError, warn } from "../log.ts";
import { ModuleSocket, type SocketSettings } from "../module-socket.ts";
import { type ExecutorDeps, JupyterExecutor, type JupyterAddress } from "./executor.ts";

export class JupyterLink {
  private readonly socket: ModuleSocket;
  private readonly executor: JupyterExecutor;

  constructor(org: string, settings: SocketSettings, jupyterOf: ExecutorDeps["jupyterOf"]) {
    this.executor = new JupyterExecutor(org, { send: (message) => this.socket.send(JSON.stringify(BridgeToJupyterSchema.parse(message))), jupyterOf });
    this.socket = new ModuleSocket(org, "jupyter", settings, {
      onFrame: (json, text) => {
        const parsed = JupyterToBridgeSchema.safeParse(json);
        if (!parsed.success) return warn(`gateway for org ${org} (jupyter) sent an unexpected frame (${text.slice(0, 200)}); ignored`);
        this.executor.onMessage(parsed.data).catch((error: unknown) => warn(`jupyter ${parsed.data.type}: ${describeError(error)}`));
      },
      onOpen: () => {},
      onRefused: () => {},
    });
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
    this.executor.stop();
  }
}

/** Where a container's Jupyter listens on the VPN, from the route the gateway gave, or why it cannot be reached. */
export function jupyterAddress(route: BridgeRoute | undefined): JupyterAddress {
  if (!route) return { ok: false, reason: "The VPN bridge does not know this container (deleted?)." };
  if (route.state !== "running" || route.address === null) return { ok: false, reason: `The container is ${route.state}: start it, then restart the kernel.` };
  const service = route.services.find((s) => s.name === "jupyter" && s.protocol === "http");
  if (!service) return { ok: false, reason: "The container has registered no Jupyter service (yet): wait for it to start, then restart the kernel." };
  return { ok: true, baseUrl: `http://${route.address}:${service.port}` };
}
