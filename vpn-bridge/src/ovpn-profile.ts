/** The OpenVPN client profile a container gets: a pure string builder (snapshot-tested). */
import { SERVER_NAME } from "./pki.ts";

export interface ProfileOptions {
  /** The public address and port of the OpenVPN server. */
  remote: { host: string; port: number };
  caPem: string;
  tlsCryptPem: string;
}

/** The `.ovpn` text: inline CA and tls-crypt key, username/password login, nothing else to trust. */
export function renderClientProfile(options: ProfileOptions): string {
  return `# Kiln VPN profile, written by the VPN bridge.
client
dev tun
proto udp
remote ${options.remote.host} ${options.remote.port}
nobind
pull
# The container logs in with its id and token; the agent names the file
# (--auth-user-pass <file> on its command line) and never keeps it in memory.
auth-user-pass
auth-nocache
auth-retry none
remote-cert-tls server
verify-x509-name ${SERVER_NAME} name
# Tell the server at once when stopping, so the board shows it.
explicit-exit-notify 1
connect-retry 2 10
verb 3
<ca>
${options.caPem}
</ca>
<tls-crypt>
${options.tlsCryptPem}
</tls-crypt>
`;
}
