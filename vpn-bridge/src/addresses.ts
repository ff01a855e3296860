/**
 * Stable VPN addresses: one per container, kept across restarts of the container and of
 * the bridge. The gateway keeps the address it was told (`connected`) and hands it back
 * (`token-checked.address`, snapshot routes); its view wins over this file, which only
 * carries the bridge across a gateway that does not know yet.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "./atomic-file.ts";
import { containerRange, ipToNumber, isContainerAddress, numberToIp, type Subnet } from "./subnet.ts";

/** How long a forgotten container's address rests before it is handed out first again. */
export const RESTING_MS = 10 * 60_000;

/** container id → address. */
export type AddressTable = ReadonlyMap<string, string>;

/**
 * The address `container` gets: the gateway's `preferred` one when it lies in the subnet
 * and no connected container holds it; else the one it held; else the lowest free one.
 * Null when the subnet is full. `isActive` says whether a container is connected now: an
 * idle holder gives its address up to the gateway's view, a connected one never does.
 */
export function chooseAddress(
  table: AddressTable,
  subnet: Subnet,
  container: string,
  preferred: string | null,
  isActive: (container: string) => boolean,
  /** Addresses of containers forgotten lately: handed out again only when nothing else is free. */
  resting: ReadonlySet<string> = new Set(),
): string | null {
  const holderOf = (address: string) => [...table].find(([, a]) => a === address)?.[0];
  if (preferred && isContainerAddress(subnet, preferred)) {
    const holder = holderOf(preferred);
    if (holder === undefined || holder === container || !isActive(holder)) return preferred;
  }
  const own = table.get(container);
  if (own && isContainerAddress(subnet, own)) return own;
  const taken = new Set<number>();
  for (const address of table.values()) {
    const value = ipToNumber(address);
    if (value !== null) taken.add(value);
  }
  const { first, last } = containerRange(subnet);
  // A deleted container's VPN session can linger seconds after it goes (OpenVPN's delayed exit,
  // its agent retrying): a new container does not take its address while another is free.
  let rested: string | null = null;
  for (let value = first; value <= last; value++) {
    if (taken.has(value)) continue;
    const address = numberToIp(value);
    if (!resting.has(address)) return address;
    rested ??= address;
  }
  return rested;
}

/** `table` with `container` at `address`, taking it from any other holder. */
export function assignAddress(table: AddressTable, container: string, address: string): Map<string, string> {
  const next = new Map<string, string>();
  for (const [holder, held] of table) if (held !== address && holder !== container) next.set(holder, held);
  next.set(container, address);
  return next;
}

const AddressFileSchema = z.object({ version: z.literal(1), addresses: z.record(z.string(), z.string()) });

/** The address table in the state dir, written atomically (a temporary file renamed over it). */
export class AddressBook {
  private table: Map<string, string> = new Map();
  private writing: Promise<void> = Promise.resolve();
  /** Addresses of forgotten containers, by when they were forgotten (kept for RESTING_MS). */
  private readonly resting = new Map<string, number>();

  constructor(
    private readonly path: string,
    private readonly subnet: Subnet,
  ) {}

  /** Reads the file if there is one; addresses outside the current subnet are forgotten. */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return;
      throw error;
    }
    const parsed = AddressFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`bridge: ${this.path} is not an address table (${parsed.error.issues[0]?.message}); move it away to start afresh`);
    this.table = new Map(Object.entries(parsed.data.addresses).filter(([, a]) => isContainerAddress(this.subnet, a)));
  }

  get(container: string): string | undefined {
    return this.table.get(container);
  }

  /** Picks (see chooseAddress), records and persists the address of `container`. */
  async allocate(container: string, preferred: string | null, isActive: (container: string) => boolean): Promise<string | null> {
    const now = Date.now();
    for (const [address, at] of this.resting) if (now - at > RESTING_MS) this.resting.delete(address);
    const address = chooseAddress(this.table, this.subnet, container, preferred, isActive, new Set(this.resting.keys()));
    if (address !== null) await this.set(container, address);
    return address;
  }

  /** Records the gateway's address for `container` unless a connected container holds it. */
  async adopt(container: string, address: string, isActive: (container: string) => boolean): Promise<void> {
    if (!isContainerAddress(this.subnet, address) || this.table.get(container) === address) return;
    const holder = [...this.table].find(([, a]) => a === address)?.[0];
    if (holder !== undefined && isActive(holder)) return;
    await this.set(container, address);
  }

  async forget(container: string): Promise<void> {
    const address = this.table.get(container);
    if (address === undefined || !this.table.delete(container)) return;
    this.resting.set(address, Date.now());
    await this.persist();
  }

  private async set(container: string, address: string): Promise<void> {
    if (this.table.get(container) === address) return;
    this.table = assignAddress(this.table, container, address);
    await this.persist();
  }

  private persist(): Promise<void> {
    const snapshot = JSON.stringify({ version: 1, addresses: Object.fromEntries(this.table) }, null, 1);
    // Writes run one after another, so an older table never lands after a newer one.
    this.writing = this.writing.then(() => writeFileAtomic(this.path, snapshot));
    return this.writing;
  }
}
