/**
 * Containers must not reach each other over the VPN. OpenVPN runs without client-to-client,
 * so a packet from one container to another goes through the kernel; this rule drops it
 * there even when the host forwards IP for something else.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { warn } from "./log.ts";

const run = promisify(execFile);

/** The iptables rule (without the -I/-D/-C verb). */
export function isolationRule(device: string): string[] {
  return ["FORWARD", "-i", device, "-o", device, "-j", "DROP", "-m", "comment", "--comment", "kiln-bridge: containers may not reach each other"];
}

/** Adds the rule once (a rule left by a crashed bridge is not doubled). */
export async function isolateContainers(device: string): Promise<void> {
  const rule = isolationRule(device);
  const present = await run("iptables", ["-C", ...rule]).then(
    () => true,
    () => false,
  );
  if (!present) await run("iptables", ["-I", ...rule]);
}

export async function removeIsolation(device: string): Promise<void> {
  await run("iptables", ["-D", ...isolationRule(device)]).catch((error: unknown) => warn(`could not remove the isolation rule: ${String(error)}`));
}
