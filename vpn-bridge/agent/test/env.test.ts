import { describe, expect, it } from "vitest";
import { readAgentEnv } from "../src/env.ts";
import { hasNetAdmin } from "../src/preflight.ts";

const ORG = "0b6f1f8e-3c1d-4a57-9a0e-2f1a0c4b5d6e";
const TOKEN = `kct.${ORG}.abc123def456.${"x".repeat(43)}`;

describe("the agent's environment", () => {
  it("accepts what the launch command sets, dropping a trailing slash from the bridge", () => {
    expect(readAgentEnv({ KILN_CONTAINER: "abc123def456", KILN_TOKEN: TOKEN, KILN_BRIDGE: "https://vpn.example.com/" })).toEqual({
      ok: true,
      env: { container: "abc123def456", token: TOKEN, bridge: "https://vpn.example.com" },
    });
  });

  it("names every missing or malformed variable", () => {
    expect(readAgentEnv({})).toEqual({ ok: false, problems: ["KILN_CONTAINER is not set", "KILN_TOKEN is not set", "KILN_BRIDGE is not set"] });
    const bad = readAgentEnv({ KILN_CONTAINER: "ABC", KILN_TOKEN: "nope", KILN_BRIDGE: "vpn.example.com" });
    expect(bad.ok ? [] : bad.problems).toEqual([
      "KILN_CONTAINER is not a container id (12 lower-case letters and digits)",
      "KILN_TOKEN is not a container token (kct.{org}.{container}.{secret})",
      "KILN_BRIDGE is not an http(s) URL",
    ]);
  });

  it("refuses another container's token", () => {
    const other = readAgentEnv({ KILN_CONTAINER: "zzzzzzzzzzzz", KILN_TOKEN: TOKEN, KILN_BRIDGE: "http://10.0.0.1:9000" });
    expect(other.ok ? [] : other.problems).toEqual(["KILN_TOKEN belongs to container abc123def456, not zzzzzzzzzzzz"]);
  });
});

describe("NET_ADMIN from /proc/self/status", () => {
  it("reads bit 12 of CapEff", () => {
    // docker's default set (no NET_ADMIN) and the same with NET_ADMIN added.
    expect(hasNetAdmin("Name:\tnode\nCapEff:\t00000000a80425fb\n")).toBe(false);
    expect(hasNetAdmin("Name:\tnode\nCapEff:\t00000000a80435fb\n")).toBe(true);
    expect(hasNetAdmin("CapEff:\t000001ffffffffff\n")).toBe(true);
    expect(hasNetAdmin("Name:\tnode\n")).toBeNull();
  });
});
