/**
 * Launch commands this browser has seen, by container id, for this page's life only. A
 * command holds the container's token, which the worker shows once: it is never written to
 * the doc or to storage, so another person or a reload asks for a new one (which rotates it).
 */
import { useSyncExternalStore } from "react";

const commands = new Map<string, string>();
const listeners = new Set<() => void>();

export function rememberLaunchCommand(container: string, command: string): void {
  commands.set(container, command);
  for (const listener of listeners) listener();
}

export const launchCommandOf = (container: string): string | undefined => commands.get(container);

/** Forgets every command (tests). */
export function forgetLaunchCommands(): void {
  commands.clear();
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The launch command of a container, if this browser knows it; follows changes. */
export function useLaunchCommand(container: string): string | undefined {
  return useSyncExternalStore(subscribe, () => commands.get(container));
}
