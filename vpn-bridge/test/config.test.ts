import { describe, expect, it } from "vitest";
import { ConfigError, parseListen, readConfig } from "../src/config.ts";
import { netmask, serverAddress } from "../src/subnet.ts";

const minimal = {
  KILN_URL: "http://127.0.0.1:8787/",
  KILN_BRIDGE_KEY: "0123456789abcdef0123456789abcdef",
  KILN_CONTAINER_DOMAIN: "containers.localhost",
  KILN_BRIDGE_PUBLIC_URL: "http://10.203.0.1:9002",
  KILN_VPN_LISTEN: "10.203.0.1",
};

describe("configuration", () => {
  it("fills the defaults", () => {
    const config = readConfig(minimal);
    expect(config).toMatchObject({
      kilnUrl: "http://127.0.0.1:8787",
      containerScheme: "https",
      vpnListen: { host: "10.203.0.1", port: 1194 },
      stateDir: "/var/lib/kiln-bridge",
      httpListen: { host: "0.0.0.0", port: 80 },
      profileListen: { host: "0.0.0.0", port: 9002 },
      reportPort: 9001,
      authPort: 9000,
      managementPort: 7505,
      activityEveryMs: 60_000,
    });
    expect([serverAddress(config.subnet), netmask(config.subnet)]).toEqual(["172.16.0.1", "255.255.0.0"]);
  });

  it("names every missing or bad variable in one error", () => {
    const env = { ...minimal, KILN_URL: undefined, KILN_CONTAINER_SCHEME: "ftp", KILN_VPN_SUBNET: "172.16.0.1/16", KILN_REPORT_PORT: "70000" };
    let message = "";
    try {
      readConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = error instanceof Error ? error.message : "";
    }
    expect(message).toContain("KILN_URL: is not set");
    expect(message).toContain("KILN_CONTAINER_SCHEME");
    expect(message).toContain("KILN_VPN_SUBNET: expected an IPv4 network");
    expect(message).toContain("KILN_REPORT_PORT");
  });

  it("reads listen addresses in their forms", () => {
    const d = { host: "0.0.0.0", port: 80 };
    expect(parseListen("8080", d)).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(parseListen("127.0.0.1", d)).toEqual({ host: "127.0.0.1", port: 80 });
    expect(parseListen("127.0.0.1:81", d)).toEqual({ host: "127.0.0.1", port: 81 });
    expect(parseListen("[::1]:82", d)).toEqual({ host: "::1", port: 82 });
    expect(parseListen("host:99999", d)).toBeNull();
    expect(parseListen("a b", d)).toBeNull();
  });
});
