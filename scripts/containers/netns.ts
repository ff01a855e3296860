/**
 * Network namespaces for the container tests: named `kh-{run}-{role}`, joined by veth pairs,
 * deleted by `destroy()` and, should the test process die first, on its exit.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { run } from "./exec.ts";

export interface LinkSpec {
  /** Namespace roles at each end, and their addresses in CIDR form. */
  a: string;
  aAddress: string;
  b: string;
  bAddress: string;
}

export interface TopologySpec {
  roles: string[];
  links: LinkSpec[];
  /** Default routes: role → gateway address. */
  defaultRoutes?: Record<string, string>;
}

/** A live topology: each role's namespace name and how to run commands in it. */
export class Topology {
  readonly names: Record<string, string>;
  #destroyed = false;
  readonly #onExit = () => this.destroySync();

  private constructor(readonly id: string, roles: string[]) {
    this.names = Object.fromEntries(roles.map((role) => [role, `kh-${id}-${role}`]));
    process.once("exit", this.#onExit);
  }

  /** Creates the namespaces and links; on any failure, removes what it made and rethrows. */
  static async create(spec: TopologySpec): Promise<Topology> {
    const topology = new Topology(randomBytes(2).toString("hex"), spec.roles);
    try {
      for (const role of spec.roles) {
        const ns = topology.names[role]!;
        await run("ip", ["netns", "add", ns]);
        await run("ip", ["-n", ns, "link", "set", "lo", "up"]);
      }
      for (const [index, link] of spec.links.entries()) {
        // Interface names are at most 15 characters: `kh{id}{index}a`.
        const aIf = `kh${topology.id}${index}a`;
        const bIf = `kh${topology.id}${index}b`;
        await run("ip", ["link", "add", aIf, "type", "veth", "peer", "name", bIf]);
        for (const [ifName, role, address] of [[aIf, link.a, link.aAddress], [bIf, link.b, link.bAddress]] as const) {
          const ns = topology.ns(role);
          await run("ip", ["link", "set", ifName, "netns", ns]);
          await run("ip", ["-n", ns, "addr", "add", address, "dev", ifName]);
          await run("ip", ["-n", ns, "link", "set", ifName, "up"]);
        }
      }
      for (const [role, via] of Object.entries(spec.defaultRoutes ?? {})) await run("ip", ["-n", topology.ns(role), "route", "add", "default", "via", via]);
    } catch (error) {
      topology.destroySync();
      throw error;
    }
    return topology;
  }

  ns(role: string): string {
    const name = this.names[role];
    if (!name) throw new Error(`no namespace for role ${role}`);
    return name;
  }

  /** The argv prefix that runs a command in a role's namespace (network only, unlike `ip netns exec`, which also remounts /sys). */
  enter(role: string): string[] {
    return ["nsenter", `--net=/run/netns/${this.ns(role)}`, "--"];
  }

  /** Deletes every namespace (their veths go with them). Safe to call twice. */
  destroySync(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    process.off("exit", this.#onExit);
    for (const ns of Object.values(this.names)) {
      try {
        execFileSync("ip", ["netns", "del", ns], { stdio: "ignore" });
      } catch {
        // Not created, or already gone.
      }
    }
  }
}
