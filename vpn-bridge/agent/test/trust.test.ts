import { describe, expect, it } from "vitest";
import { identify, mayType, plainAddress } from "../src/terminal/trust.ts";

const bridge = "172.16.0.1";

describe("whom the PTY server believes", () => {
  it("believes the bridge's headers from the bridge's VPN address, IPv4-mapped or not", () => {
    const headers = { "x-kiln-user": "ada", "x-kiln-access": "write" };
    expect(identify("172.16.0.1", headers, bridge)).toEqual({ kind: "visitor", user: "ada", access: "write" });
    expect(identify("::ffff:172.16.0.1", headers, bridge)).toEqual({ kind: "visitor", user: "ada", access: "write" });
  });

  it("refuses the same headers from anywhere else: the container itself, a neighbour, another VPN address", () => {
    const headers = { "x-kiln-user": "ada", "x-kiln-access": "write" };
    for (const from of ["127.0.0.1", "::1", "10.88.0.7", "172.16.0.10", "::ffff:172.16.0.10", undefined]) {
      expect(identify(from, headers, bridge).kind, String(from)).toBe("untrusted");
    }
  });

  it("refuses everyone when the agent did not say where the bridge is", () => {
    expect(identify("172.16.0.1", { "x-kiln-access": "write" }, null).kind).toBe("untrusted");
  });

  it("lets a visitor whose access is missing or unreadable watch only", () => {
    expect(identify(bridge, { "x-kiln-user": "ben" }, bridge)).toEqual({ kind: "visitor", user: "ben", access: "read" });
    expect(identify(bridge, { "x-kiln-user": "ben", "x-kiln-access": "root" }, bridge)).toEqual({ kind: "visitor", user: "ben", access: "read" });
    expect(identify(bridge, { "x-kiln-user": "ben", "x-kiln-access": ["write", "write"] }, bridge)).toEqual({ kind: "visitor", user: "ben", access: "read" });
  });

  it("knows a link visitor without a cookie as nobody", () => {
    expect(identify(bridge, { "x-kiln-access": "read" }, bridge)).toEqual({ kind: "visitor", user: null, access: "read" });
  });

  it("lets only write type", () => {
    expect(mayType("write")).toBe(true);
    expect(mayType("read")).toBe(false);
    expect(plainAddress("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(plainAddress("fe80::1")).toBe("fe80::1");
  });
});
