import { describe, expect, it } from "vitest";
import { openVpnServerArgs } from "../src/openvpn.ts";
import { renderClientProfile } from "../src/ovpn-profile.ts";
import { parseSubnet } from "../src/subnet.ts";

describe("OpenVPN", () => {
  it("the client profile inlines the CA and tls-crypt key and logs in with a password", () => {
    expect(renderClientProfile({ remote: { host: "203.0.113.7", port: 1194 }, caPem: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----", tlsCryptPem: "-----BEGIN OpenVPN Static key V1-----\nTC\n-----END OpenVPN Static key V1-----" })).toMatchSnapshot();
  });

  it("the server lets the bridge decide, keeps containers apart and holds until the bridge is in", () => {
    const args = openVpnServerArgs({
      listen: { host: "203.0.113.7", port: 1194 },
      subnet: parseSubnet("172.16.0.0/16")!,
      device: "kiln-tun0",
      pki: { ca: "/s/ca.crt", cert: "/s/server.crt", key: "/s/server.key", tlsCrypt: "/s/tc.key" },
      managementPort: 7505,
      managementPasswordFile: "/s/pw",
    });
    const text = args.join(" ");
    expect(text).toContain("--server 172.16.0.0 255.255.0.0");
    expect(text).toContain("--management 127.0.0.1 7505 /s/pw --management-client-auth --management-hold");
    expect(text).toContain("--verify-client-cert none --username-as-common-name");
    expect(text).toContain("--keepalive 2 10");
    expect(args).not.toContain("--client-to-client");
  });
});
