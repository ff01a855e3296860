/** IPv4 arithmetic for the VPN subnet: the server takes the first host address, containers the rest. */

export interface Subnet {
  /** The network address, as a 32-bit unsigned number. */
  network: number;
  prefix: number;
}

/** `172.16.0.0/16` → a Subnet; null when it is not an IPv4 network of /8 to /29 with no host bits set. */
export function parseSubnet(text: string): Subnet | null {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return null;
  const network = ipToNumber(match[1]!);
  const prefix = Number(match[2]);
  if (network === null || prefix < 8 || prefix > 29) return null;
  if ((network & ~maskNumber(prefix)) >>> 0 !== 0) return null;
  return { network, prefix };
}

/** `10.1.2.3` → 167838211; null when it is not a dotted quad. */
export function ipToNumber(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

export function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

function maskNumber(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The dotted netmask, e.g. 255.255.0.0 for a /16 (what `ifconfig-push` and `--server` take). */
export function netmask(subnet: Subnet): string {
  return numberToIp(maskNumber(subnet.prefix));
}

export function networkAddress(subnet: Subnet): string {
  return numberToIp(subnet.network);
}

/** The VPN server's own address: the subnet's first host (e.g. 172.16.0.1). */
export function serverAddress(subnet: Subnet): string {
  return numberToIp(subnet.network + 1);
}

/** The range of addresses containers may get: after the server's, before the broadcast. */
export function containerRange(subnet: Subnet): { first: number; last: number } {
  const size = 2 ** (32 - subnet.prefix);
  return { first: subnet.network + 2, last: subnet.network + size - 2 };
}

/** True when `ip` is an address a container may hold in `subnet`. */
export function isContainerAddress(subnet: Subnet, ip: string): boolean {
  const value = ipToNumber(ip);
  if (value === null) return false;
  const { first, last } = containerRange(subnet);
  return value >= first && value <= last;
}
