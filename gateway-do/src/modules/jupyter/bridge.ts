/**
 * The VPN bridge's socket for kernels, `/gw/{org}/m/jupyter/bridge` (the worker has checked the
 * bridge's key). On open the bridge learns every live kernel and the runs the gateway believes
 * are under way; then it reports kernel states, outputs and ends, each turned into an event in
 * the kernel's project, as the bridge.
 */
import { type BridgeToJupyter, BridgeToJupyterSchema, type JupyterToBridge } from "../../../../protocol/jupyter";
import { type HostContext, type SocketPeer, type SocketSpec, parseFrame } from "../kit";
import { JUPYTER, type KernelRow, kernelRow, runRow } from "./records";

function answer(peer: SocketPeer, message: JupyterToBridge): void {
  peer.send(message);
}

function runIn(host: HostContext, peer: SocketPeer, project: string, event: { type: string; [field: string]: unknown }): void {
  const outcome = host.runEvent(project, event, peer.principal);
  if (!outcome.ok) console.warn(`jupyter: ${event.type} refused: ${outcome.error?.code} ${outcome.error?.message}`);
}

function handle(host: HostContext, peer: SocketPeer, message: BridgeToJupyter): void {
  switch (message.type) {
    case "kernel": {
      const row = kernelRow(host.sql, message.kernel);
      if (!row) return; // deleted with its project
      const { type: _, ...payload } = message;
      return runIn(host, peer, row.project, { type: `${JUPYTER}:kernel-state`, ...payload });
    }
    case "outputs":
    case "finished": {
      const row = runRow(host.sql, message.run);
      if (!row) return; // ended meanwhile (a restart, a deleted cell)
      const { type, ...payload } = message;
      return runIn(host, peer, row.project, { type: `${JUPYTER}:${type}`, ...payload, kernel: row.kernel });
    }
  }
}

export const bridgeSocket: SocketSpec = {
  path: "/bridge",
  principals: ["bridge"],
  onOpen: (host, peer) => {
    const kernels = host.sql.exec<KernelRow>("select * from jupyter_kernels where state not in ('dead', 'shutdown')").toArray();
    const running = host.sql.exec<{ run: string }>("select run from jupyter_runs where running = 1").toArray();
    answer(peer, {
      type: "snapshot",
      kernels: kernels.map((k) => ({ kernel: k.id, container: k.container, spec: k.spec, jupyterId: k.jupyter_id })),
      running: running.map((r) => r.run),
    });
  },
  onMessage: (host, peer, text) => {
    const parsed = parseFrame(text, BridgeToJupyterSchema);
    if (!parsed.ok) return answer(peer, { type: "error", error: parsed.error });
    handle(host, peer, parsed.data);
  },
};
