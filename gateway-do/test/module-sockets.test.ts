/** The principal the worker names for a module's socket: `{kind}:{id}`, a known kind, or nobody. */
import { describe, expect, it } from "vitest";
import { namedPrincipal } from "../src/host/module-sockets";

describe("a module socket's principal", () => {
  it("is read from the worker's header, and nothing else passes", () => {
    expect(namedPrincipal("bridge:b1")).toEqual({ kind: "bridge", id: "b1" });
    expect(namedPrincipal("user:u:with:colons")).toEqual({ kind: "user", id: "u:with:colons" });
    for (const header of [null, "", "bridge", "bridge:", "admin:x", "BRIDGE:b1", ":b1"]) expect(namedPrincipal(header), String(header)).toBeNull();
  });
});
