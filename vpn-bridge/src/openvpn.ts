/** The OpenVPN server: its command line (pure, tested) and the running process. */
import { Child } from "./child-process.ts";
import type { Pki } from "./pki.ts";
import { netmask, networkAddress, type Subnet } from "./subnet.ts";

export interface OpenVpnOptions {
  listen: { host: string; port: number };
  subnet: Subnet;
  device: string;
  pki: Pki;
  managementPort: number;
  /** A file holding the management password (OpenVPN reads its first line). */
  managementPasswordFile: string;
}

/** OpenVPN's arguments: username/password clients, the bridge deciding each one over the management interface. */
export function openVpnServerArgs(o: OpenVpnOptions): string[] {
  return [
    "--dev", o.device, "--dev-type", "tun",
    "--proto", "udp", "--local", o.listen.host, "--port", String(o.listen.port),
    "--topology", "subnet", "--server", networkAddress(o.subnet), netmask(o.subnet),
    "--ca", o.pki.ca, "--cert", o.pki.cert, "--key", o.pki.key, "--dh", "none", "--tls-crypt", o.pki.tlsCrypt,
    // Containers hold no certificate: the token they log in with is checked by the bridge.
    "--verify-client-cert", "none", "--username-as-common-name",
    "--management", "127.0.0.1", String(o.managementPort), o.managementPasswordFile,
    "--management-client-auth",
    // Nobody gets in before the bridge listens: OpenVPN waits for `hold release`.
    "--management-hold",
    // A dead container is noticed within ~10 s (a clean stop says so at once).
    "--keepalive", "2", "10",
    // No client-to-client: containers must not reach each other (the firewall also drops tun→tun).
    "--verb", "3",
    "--suppress-timestamps",
  ];
}

/** Starts the OpenVPN server. */
export function startOpenVpn(options: OpenVpnOptions, onUnexpectedExit: (description: string) => void): Child {
  return new Child("openvpn", "openvpn", openVpnServerArgs(options), onUnexpectedExit);
}
