/**
 * Where a container lives: its record in the project doc (what the board shows), and its row
 * in the module's own table (what must not sit in a shared doc: the token's hash, the last
 * heartbeat, the VPN session), plus an outbox of messages for the bridge. Both are written
 * in the same change, so they never disagree for longer than an event.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import type * as Y from "yjs";
import { z } from "zod";
import { type BridgeRoute, CONTAINER_ID_ALPHABET, type ContainerRecord, ContainerRecordSchema, type GatewayToBridge, ServiceSchema, ShareLevelSchema, ContainerStateSchema } from "../../../../protocol/containers";
import { EventError, type ModuleSql, collection, defineRecord, readRecord } from "../kit";

export const USER_CONTAINERS = "user-containers";

/** A permission on one container: `user-containers:[user-container:{id}]:{action}`. */
export const containerPermission = (id: string, action: "open" | "terminal" | "update" | "delete") => `${USER_CONTAINERS}:[user-container:${id}]:${action}`;

export const containersOf = (doc: Y.Doc) => collection<ContainerRecord>(doc, USER_CONTAINERS, "containers");

/** A container's record in the project doc: version 1 (its first shape). */
export const ContainerRecordType = defineRecord<ContainerRecord>({ name: "container", version: 1, schema: ContainerRecordSchema, up: [] });

/** The container's record, in its current shape; undefined when absent or unreadable. */
export function readContainer(doc: Y.Doc, id: string): ContainerRecord | undefined {
  return readRecord(ContainerRecordType, containersOf(doc).get(id), id);
}

/** The container, or a not_found refusal. */
export function requireContainer(doc: Y.Doc, id: string): ContainerRecord {
  const record = readContainer(doc, id);
  if (!record || record.state === "deleted") throw new EventError("not_found", `There is no container ${id} in this project.`);
  return record;
}

/** A new container id: 12 lower-case letters and digits (62 bits), fit for a host name. */
export function newContainerId(): string {
  let id = "";
  // 252 = 7 × 36: rejecting bytes above it keeps every character equally likely.
  while (id.length < 12) for (const byte of crypto.getRandomValues(new Uint8Array(16))) if (byte < 252 && id.length < 12) id += CONTAINER_ID_ALPHABET[byte % 36];
  return id;
}

/** A token's secret: 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
}

/** Tokens are stored as their SHA-256: a leaked table gives no token away. */
export const hashOf = (secret: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));

export const MIGRATIONS = [
  `create table user_containers_live (
     id text primary key, project text not null, owner text not null, share text not null,
     state text not null, address text, connection text, services text not null,
     token_hash text unique, last_seen integer, metrics_at integer,
     access_epoch integer not null, created_at integer not null)`,
  "create index user_containers_live_owner on user_containers_live (owner)",
  "create table user_containers_outbox (seq integer primary key autoincrement, message text not null)",
  // Idle culling: who keeps a container awake (a running kernel cell), and when a visitor last used it.
  "create table user_containers_awake (container text not null, holder text not null, since integer not null, primary key (container, holder))",
  "alter table user_containers_live add column active_at integer",
  // The org's idle setting (one row): minutes, null when off; `since` when it was last set.
  "create table user_containers_settings (id integer primary key check (id = 1), idle_minutes integer, since integer not null)",
] as const;

/** A container's row in the module's table. */
export type LiveRow = {
  id: string;
  project: string;
  owner: string;
  share: string;
  state: string;
  address: string | null;
  connection: string | null;
  services: string;
  token_hash: string | null;
  last_seen: number | null;
  metrics_at: number | null;
  /** When a visitor last used it (or a kernel hold ended): the idle clock starts here. */
  active_at: number | null;
  access_epoch: number;
  created_at: number;
};

export function liveRow(sql: ModuleSql, id: string): LiveRow | undefined {
  return sql.exec<LiveRow>("select * from user_containers_live where id = ?", id).toArray()[0];
}

export function insertLive(sql: ModuleSql, record: ContainerRecord, tokenHash: string): void {
  sql.exec(
    "insert into user_containers_live (id, project, owner, share, state, address, connection, services, token_hash, last_seen, metrics_at, access_epoch, created_at) values (?, ?, ?, ?, ?, null, null, ?, ?, null, null, 0, ?)",
    record.id,
    record.project,
    record.owner,
    record.share,
    record.state,
    JSON.stringify(record.services),
    tokenHash,
    record.createdAt,
  );
}

/** Writes what the row mirrors of the record (state, address, services, share) and what only the row keeps. */
export function updateLive(sql: ModuleSql, record: ContainerRecord, extra: { connection?: string | null; lastSeen?: number; metricsAt?: number; activeAt?: number; bumpEpoch?: boolean } = {}): void {
  const row = liveRow(sql, record.id);
  if (!row) return;
  sql.exec(
    "update user_containers_live set share = ?, state = ?, address = ?, services = ?, connection = ?, last_seen = ?, metrics_at = ?, active_at = ?, access_epoch = ? where id = ?",
    record.share,
    record.state,
    record.address,
    JSON.stringify(record.services),
    extra.connection === undefined ? row.connection : extra.connection,
    extra.lastSeen ?? row.last_seen,
    extra.metricsAt ?? row.metrics_at,
    extra.activeAt ?? row.active_at,
    row.access_epoch + (extra.bumpEpoch ? 1 : 0),
    record.id,
  );
}

/** The route the bridge keeps for a row. */
export function routeOf(row: LiveRow): BridgeRoute {
  return {
    container: row.id,
    owner: row.owner,
    share: ShareLevelSchema.parse(row.share),
    state: ContainerStateSchema.parse(row.state),
    address: row.address,
    services: z.array(ServiceSchema).parse(JSON.parse(row.services)),
    accessEpoch: row.access_epoch,
  };
}

/** Queues a message for the bridge, sent once the event that queued it has committed. */
export function queueForBridge(sql: ModuleSql, message: GatewayToBridge): void {
  sql.exec("insert into user_containers_outbox (message) values (?)", JSON.stringify(message));
}

/** Queues the container's current route for the bridge. */
export function queueRoute(sql: ModuleSql, id: string): void {
  const row = liveRow(sql, id);
  if (row) queueForBridge(sql, { type: "route", route: routeOf(row) });
}

/**
 * Keeps a container from being culled as idle while `holder` (e.g. a kernel running a cell)
 * holds it. Holding twice is one hold; it lasts until `releaseAwake`.
 */
export function holdAwake(sql: ModuleSql, container: string, holder: string, now: number): void {
  sql.exec("insert into user_containers_awake (container, holder, since) values (?, ?, ?) on conflict (container, holder) do nothing", container, holder, now);
}

/**
 * Ends `holder`'s hold. The release counts as activity, so an idle container is culled N
 * minutes after its last cell ended, not at once because the last visitor left long ago.
 */
export function releaseAwake(sql: ModuleSql, container: string, holder: string, now: number = Date.now()): void {
  const held = sql.exec<{ n: number }>("select count(*) as n from user_containers_awake where container = ? and holder = ?", container, holder).toArray()[0]?.n ?? 0;
  if (held === 0) return;
  sql.exec("delete from user_containers_awake where container = ? and holder = ?", container, holder);
  sql.exec("update user_containers_live set active_at = max(coalesce(active_at, 0), ?) where id = ?", now, container);
}

/** Forgets a container: its token stops working at once, and the bridge drops its routes and VPN session. */
export function forgetContainer(sql: ModuleSql, id: string): void {
  sql.exec("delete from user_containers_live where id = ?", id);
  sql.exec("delete from user_containers_awake where container = ?", id);
  queueForBridge(sql, { type: "removed", container: id });
}
