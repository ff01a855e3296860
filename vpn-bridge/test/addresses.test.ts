import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AddressBook, assignAddress, chooseAddress } from "../src/addresses.ts";
import { parseSubnet } from "../src/subnet.ts";

const subnet = parseSubnet("172.16.0.0/16")!;
const tiny = parseSubnet("10.9.0.0/29")!; // hosts .1 (server) to .6: containers .2–.6
const idle = () => false;

describe("address allocation", () => {
  it("gives the lowest free address after the server's", () => {
    expect(chooseAddress(new Map(), subnet, "a", null, idle)).toBe("172.16.0.2");
    expect(chooseAddress(new Map([["a", "172.16.0.2"]]), subnet, "b", null, idle)).toBe("172.16.0.3");
  });

  it("keeps a container's own address", () => {
    const table = new Map([["a", "172.16.0.2"], ["b", "172.16.0.7"]]);
    expect(chooseAddress(table, subnet, "b", null, idle)).toBe("172.16.0.7");
  });

  it("takes the gateway's address when free, even over the one the bridge remembered", () => {
    const table = new Map([["a", "172.16.0.2"]]);
    expect(chooseAddress(table, subnet, "a", "172.16.3.4", idle)).toBe("172.16.3.4");
  });

  it("takes the gateway's address from an idle holder, never from a connected one", () => {
    const table = new Map([["a", "172.16.0.2"], ["b", "172.16.0.3"]]);
    expect(chooseAddress(table, subnet, "b", "172.16.0.2", () => false)).toBe("172.16.0.2");
    expect(chooseAddress(table, subnet, "b", "172.16.0.2", (c) => c === "a")).toBe("172.16.0.3");
  });

  it("refuses a gateway address outside the container range (server, network, broadcast, other subnet)", () => {
    for (const preferred of ["172.16.0.1", "172.16.0.0", "172.16.255.255", "10.0.0.5", "nonsense"]) {
      expect(chooseAddress(new Map(), subnet, "a", preferred, idle)).toBe("172.16.0.2");
    }
  });

  it("says null when the subnet is full", () => {
    const table = new Map(["a", "b", "c", "d", "e"].map((c, i) => [c, `10.9.0.${i + 2}`]));
    expect(chooseAddress(table, tiny, "f", null, idle)).toBeNull();
    expect(chooseAddress(table, tiny, "c", null, idle)).toBe("10.9.0.4");
  });

  it("assigning moves an address away from its old holder", () => {
    const next = assignAddress(new Map([["a", "172.16.0.2"], ["b", "172.16.0.3"]]), "b", "172.16.0.2");
    expect([...next]).toEqual([["b", "172.16.0.2"]]);
  });

  it("persists the table and reads it back at the next start", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kb-addr-"));
    try {
      const path = join(dir, "addresses.json");
      const book = new AddressBook(path, subnet);
      await book.load();
      expect(await book.allocate("a", null, idle)).toBe("172.16.0.2");
      expect(await book.allocate("b", "172.16.9.9", idle)).toBe("172.16.9.9");
      await book.adopt("c", "172.16.0.2", (c) => c === "a"); // a is connected: keeps it
      const again = new AddressBook(path, subnet);
      await again.load();
      expect([again.get("a"), again.get("b"), again.get("c")]).toEqual(["172.16.0.2", "172.16.9.9", undefined]);
      expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ version: 1, addresses: { a: "172.16.0.2", b: "172.16.9.9" } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("does not hand a just-forgotten container's address to a new one while another is free", () => {
    const table = new Map([["a", "172.16.0.2"]]);
    // b was at .3 and was deleted: its session may linger; c gets .4, not .3.
    expect(chooseAddress(table, subnet, "c", null, idle, new Set(["172.16.0.3"]))).toBe("172.16.0.4");
    // With nothing else free, a resting address is still better than none.
    const tinyTable = new Map([["a", "10.9.0.2"], ["b", "10.9.0.3"], ["c", "10.9.0.4"], ["d", "10.9.0.5"]]);
    expect(chooseAddress(tinyTable, tiny, "e", null, idle, new Set(["10.9.0.6"]))).toBe("10.9.0.6");
  });
});
