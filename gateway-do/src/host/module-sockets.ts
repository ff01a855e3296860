/**
 * Modules' sockets on the gateway (the VPN bridge's): what each carries across hibernation,
 * opening one (the worker authenticated the caller and named its principal in a header no
 * client can set; the module says which principals it admits), and its text frames.
 */
import type { Connection } from "partyserver";
import { CloseCode } from "../../../protocol/socket";
import { MAX_FRAME_BYTES } from "../limits";
import { PRINCIPAL_KINDS, type Principal, type PrincipalKind, type SocketPeer } from "../modules/kit";
import type { ModuleHost } from "./module-host";

/** What a module's socket carries in its attachment. */
export interface ModuleSocketState {
  module: string;
  path: string;
  principal: Principal;
}

export const isModuleSocket = (state: object | null | undefined): state is ModuleSocketState => !!state && "module" in state;

/** The principal the worker named (`{kind}:{id}`), or null. */
export function namedPrincipal(header: string | null): Principal | null {
  const [kind, ...rest] = (header ?? "").split(":");
  const id = rest.join(":");
  return PRINCIPAL_KINDS.includes(kind as PrincipalKind) && id.length > 0 ? { kind: kind as PrincipalKind, id } : null;
}

function peerOf(connection: Connection<ModuleSocketState>, principal: Principal): SocketPeer {
  return {
    principal,
    send: (message) => {
      if (connection.readyState === WebSocket.OPEN) connection.send(JSON.stringify(message));
    },
    close: (code, reason) => connection.close(code, reason),
  };
}

/** Admits a module's socket, or closes it with why. */
export function openModuleSocket(host: ModuleHost, connection: Connection<ModuleSocketState>, at: { module: string; path: string }, principalHeader: string | null): void {
  const principal = namedPrincipal(principalHeader);
  const found = host.socket(at.module, at.path);
  if (!found) return connection.close(CloseCode.NotFound, `module ${at.module} has no socket ${at.path}`);
  if (!principal) return connection.close(CloseCode.Unauthenticated, "the worker named no principal");
  if (!found.socket.principals.includes(principal.kind)) return connection.close(CloseCode.Forbidden, `a ${principal.kind} may not open ${at.path}`);
  connection.setState({ module: at.module, path: at.path, principal });
  host.onSocket(at.module, at.path, peerOf(connection, principal), null);
}

/** A frame on a module's socket: JSON text within the frame limit, to the module. */
export function moduleSocketMessage(host: ModuleHost, connection: Connection<ModuleSocketState>, state: ModuleSocketState, message: string | ArrayBuffer | ArrayBufferView): void {
  if (typeof message !== "string") return connection.close(CloseCode.Unsupported, "this socket speaks JSON text frames");
  if (message.length > MAX_FRAME_BYTES) return connection.close(CloseCode.TooBig, `frames are limited to ${MAX_FRAME_BYTES} bytes`);
  host.onSocket(state.module, state.path, peerOf(connection, state.principal), message);
}
