/**
 * The jupyter permissions in words (the roles page), and why a cell's button is off: the
 * gateway decides, the board follows the same rules to disable a button with the reason.
 */
import type { ContainerRecord } from "../../../../protocol/containers";
import type { KernelRecord } from "../../../../protocol/jupyter";
import { JUPYTER_SERVICE, RUNNABLE, cellPermission, kernelPermission } from "../../../../gateway-do/src/modules/jupyter/records";
import { mayTypeInTerminal } from "../user-containers/permissions";

export const CREATE_PERMISSION = "jupyter:create";
/** A permission on one cell (edit its code and kernel, or run it), and on a kernel (interrupt, restart, shut down): the gateway's. */
export { cellPermission, kernelPermission };

/** Every permission of the gateway module, in words. */
export const PERMISSION_WORDS = {
  "jupyter:create": "Create code cells and start kernels in containers they may type in",
  "jupyter:[cell:*]:edit": "Edit any code cell's code and kernel, and clear its outputs",
  "jupyter:[cell:*]:run": "Run any code cell (on a kernel whose container they may type in)",
  "jupyter:[kernel:*]:update": "Interrupt, restart and shut down any kernel",
} as const;


/** Why a person may not run cells on this kernel, or null when they may. */
export function whyNotRun(cell: string, kernel: KernelRecord | undefined, container: ContainerRecord | undefined, userId: string, can: (p: string) => boolean, grants: readonly string[] | null): string | null {
  if (!can(cellPermission(cell, "run"))) return "Your roles in this project do not let you run code cells.";
  if (!kernel) return "Choose a kernel for this cell first.";
  if (!RUNNABLE.has(kernel.state)) return `${kernel.name} is ${kernel.state}: restart it first.`;
  if (!container || container.state === "deleted") return `${kernel.name} belonged to a container that was deleted: start a kernel on another.`;
  if (!mayTypeInTerminal(container, userId, grants)) return "Only those who may type in this kernel's container run code on it: ask its owner.";
  if (container.state !== "running") return `${container.name} is ${container.state}: start it, then restart the kernel.`;
  return null;
}

/** Why a person may not start a kernel on this container, or null when they may. */
export function whyNotStart(container: ContainerRecord, userId: string, can: (p: string) => boolean, grants: readonly string[] | null): string | null {
  if (!can(CREATE_PERMISSION)) return "Your roles in this project do not let you start kernels.";
  if (container.state !== "running") return `${container.name} is ${container.state}: start it first.`;
  if (!container.services.some((s) => s.name === JUPYTER_SERVICE && s.protocol === "http")) return `${container.name} offers no Jupyter service: start a container from the kiln-jupyter image.`;
  if (!mayTypeInTerminal(container, userId, grants)) return `Starting a kernel in ${container.name} is for its owner and those allowed to type in its terminal.`;
  return null;
}
