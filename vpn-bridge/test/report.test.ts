import { describe, expect, it } from "vitest";
import { formatContainerToken } from "../../protocol/containers.ts";
import { identifyReporter, tokenHash } from "../src/report.ts";
import { RouteTable } from "../src/routes.ts";
import { Sessions, type Session } from "../src/sessions.ts";

const org = "0b6e5a7e-8f3c-4b7a-9d1e-2f4a6c8e0b13";
const tokenA = formatContainerToken(org, "aaaaaaaaaaaa", "A".repeat(43));
const tokenB = formatContainerToken(org, "bbbbbbbbbbbb", "B".repeat(43));
const sessionA: Session = { cid: "1", container: "aaaaaaaaaaaa", org, address: "172.16.0.2", tokenHash: tokenHash(tokenA), established: true };

describe("who sent a report", () => {
  it("knows a container by its VPN address and the token it joined with", () => {
    expect(identifyReporter(sessionA, "172.16.0.2", tokenA)).toEqual({ kind: "known", session: sessionA });
  });

  it("refuses a report from an address no container holds", () => {
    expect(identifyReporter(undefined, "172.16.0.99", tokenA)).toMatchObject({ kind: "refused", status: 503, code: "not_on_vpn" });
  });

  it("refuses another container's token from this address", () => {
    expect(identifyReporter(sessionA, "172.16.0.2", tokenB)).toMatchObject({ kind: "refused", status: 403, code: "wrong_container" });
  });

  it("refuses a missing or malformed token", () => {
    expect(identifyReporter(sessionA, "172.16.0.2", null)).toMatchObject({ kind: "refused", status: 401 });
    expect(identifyReporter(sessionA, "172.16.0.2", "kct.nope")).toMatchObject({ kind: "refused", status: 401 });
  });

  it("asks the gateway about a token of the right container it has not seen", () => {
    const renewed = formatContainerToken(org, "aaaaaaaaaaaa", "C".repeat(43));
    expect(identifyReporter(sessionA, "172.16.0.2", renewed)).toEqual({ kind: "check", session: sessionA });
  });
});

describe("sessions", () => {
  const base = { container: "aaaaaaaaaaaa", org, address: "172.16.0.2", tokenHash: "h" };

  it("a late DISCONNECT of a replaced connection leaves the new one on", () => {
    const sessions = new Sessions();
    expect(sessions.admit({ ...base, cid: "1" })).toBeNull();
    sessions.establish("1");
    expect(sessions.admit({ ...base, cid: "2" })).toBe("1");
    expect(sessions.establish("1")).toBeNull();
    expect(sessions.establish("2")?.cid).toBe("2");
    expect(sessions.drop("1")).toMatchObject({ current: false });
    expect(sessions.of(base.container)?.cid).toBe("2");
    expect(sessions.atAddress("172.16.0.2")?.cid).toBe("2");
    expect(sessions.drop("2")).toMatchObject({ current: true });
    expect(sessions.isActive(base.container)).toBe(false);
    expect(sessions.atAddress("172.16.0.2")).toBeUndefined();
  });

  it("an address a deleted container's lingering session still holds speaks for the new container on it (cids 9, then 10)", () => {
    const sessions = new Sessions();
    sessions.admit({ ...base, cid: "9" });
    sessions.establish("9");
    sessions.admit({ ...base, container: "bbbbbbbbbbbb", cid: "10" });
    sessions.establish("10");
    expect(sessions.atAddress("172.16.0.2")?.container).toBe("bbbbbbbbbbbb");
    sessions.drop("9");
    expect(sessions.atAddress("172.16.0.2")?.container).toBe("bbbbbbbbbbbb");
  });

  it("only established sessions speak from their address", () => {
    const sessions = new Sessions();
    sessions.admit({ ...base, cid: "1" });
    expect(sessions.atAddress("172.16.0.2")).toBeUndefined();
    expect(sessions.ofOrg(org)).toEqual([]);
    sessions.establish("1");
    expect(sessions.ofOrg(org).map((s) => s.cid)).toEqual(["1"]);
  });
});

describe("revocations", () => {
  it("survive an export and import, keeping the latest time, and are pruned once every cookie before them expired", () => {
    const table = new RouteTable();
    table.revoke(org, ["bob", "eve"], 1000);
    table.revoke(org, ["bob"], 500);
    const again = new RouteTable();
    again.importRevocations(JSON.parse(JSON.stringify(table.exportRevocations())));
    expect([again.revokedAt(org, "bob"), again.revokedAt(org, "eve"), again.revokedAt(org, "ada")]).toEqual([1000, 1000, null]);
    again.pruneRevocations(1001);
    expect(again.revokedAt(org, "bob")).toBeNull();
  });
});
