import { closeSync, constants, openSync, readFileSync } from "node:fs";
import { TUN_FLAGS } from "./exit-codes.ts";

/** CAP_NET_ADMIN's bit in a capability set (linux/capability.h). */
const CAP_NET_ADMIN = 12n;

/** Whether `/proc/self/status` says the effective capabilities include NET_ADMIN; null when the line is missing. */
export function hasNetAdmin(procStatus: string): boolean | null {
  const match = /^CapEff:\s*([0-9a-f]+)\s*$/m.exec(procStatus);
  if (!match) return null;
  return ((BigInt(`0x${match[1]}`) >> CAP_NET_ADMIN) & 1n) === 1n;
}

/** What stops OpenVPN from making its tun device, in words naming the fix; null when nothing does. */
export function checkTun(tunPath = "/dev/net/tun", statusPath = "/proc/self/status"): string | null {
  let fd: number;
  try {
    fd = openSync(tunPath, constants.O_RDWR);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? `${tunPath} does not exist` : `${tunPath} cannot be opened (${code})`;
    return `${why}: the container needs a tun device to join Kiln's VPN. Run it with: docker run ${TUN_FLAGS} …`;
  }
  closeSync(fd);
  // Opening the device needs no capability; creating an interface on it (TUNSETIFF) needs NET_ADMIN.
  const netAdmin = hasNetAdmin(readFileSync(statusPath, "utf8"));
  if (netAdmin === false) return `the container lacks the NET_ADMIN capability, which OpenVPN needs to set up its tun device. Run it with: docker run ${TUN_FLAGS} …`;
  return null;
}
