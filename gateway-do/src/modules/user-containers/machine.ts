/**
 * A user container's life, as a pure table: which cause moves which state where. Everything
 * that changes a container's state goes through `transition`, so an illegal move is refused
 * with one code wherever it comes from (a person, the bridge, the module's alarm).
 *
 *   created ──connected──▶ connecting ──report──▶ running ◀──report── unreachable
 *      │                       │                    │  ╲──no heartbeat / dropped──▶ ↑
 *      │                       └───────────────────────────goodbye / stop──▶ stopped ──connected──▶ connecting
 *      └──────────────── delete (from anywhere) ──▶ deleted
 */
import type { ContainerState } from "../../../../protocol/containers";

/** What can happen to a container, and who causes it. */
export type Cause =
  /** The bridge: OpenVPN let the container in. */
  | "connected"
  /** The bridge: the container's VPN session ended without a goodbye. */
  | "disconnected"
  /** The bridge: the agent reported (a heartbeat or its services). */
  | "report"
  /** The bridge: the agent said goodbye (SIGTERM, `docker stop`). */
  | "goodbye"
  /** The module's alarm: no heartbeat for too long. */
  | "timeout"
  /** A person stopped it from the board. */
  | "stop"
  /** A person deleted it. */
  | "delete";

/** Where each cause may take each state; absent means refused. */
const TABLE: Record<ContainerState, Partial<Record<Cause, ContainerState>>> = {
  created: { connected: "connecting", delete: "deleted" },
  connecting: { connected: "connecting", report: "running", disconnected: "unreachable", timeout: "unreachable", goodbye: "stopped", stop: "stopped", delete: "deleted" },
  running: { connected: "running", report: "running", disconnected: "unreachable", timeout: "unreachable", goodbye: "stopped", stop: "stopped", delete: "deleted" },
  unreachable: { connected: "connecting", report: "running", disconnected: "unreachable", goodbye: "stopped", stop: "stopped", delete: "deleted" },
  // A stopped container restarted with `docker start` joins again; a late report of one stopping is ignored.
  stopped: { connected: "connecting", goodbye: "stopped", disconnected: "stopped", delete: "deleted" },
  deleted: {},
};

export type Transition = { ok: true; state: ContainerState } | { ok: false; code: "illegal_transition"; message: string };

/** The state `cause` takes `state` to, or why it may not. */
export function transition(state: ContainerState, cause: Cause): Transition {
  const next = TABLE[state][cause];
  if (next) return { ok: true, state: next };
  return { ok: false, code: "illegal_transition", message: `A ${state} container cannot be ${PAST[cause]}.` };
}

const PAST: Record<Cause, string> = {
  connected: "connected",
  disconnected: "disconnected",
  report: "reported on",
  goodbye: "said goodbye to",
  timeout: "timed out",
  stop: "stopped",
  delete: "deleted",
};

/** States in which the container should be heartbeating: silence there means unreachable. */
export const LIVE_STATES: readonly ContainerState[] = ["connecting", "running"];

/** How long without a heartbeat before a live container is unreachable (the agent beats every 5 s). */
export const HEARTBEAT_TIMEOUT_MS = 15_000;
