/**
 * What a gateway module is made of. A module owns root maps of the project's Yjs doc
 * (named `{module}/{collection}`), declares its events with zod schemas, the permission
 * each needs, and reducers. A reducer checks first and returns the change to make: the
 * pipeline applies it in one Yjs transaction, so a refused event writes nothing.
 * This file (and every module) is shared with web/: no Workers types here.
 */
import type * as Y from "yjs";
import type { z } from "zod";

/**
 * The kinds of actor: a member, a user container, a VPN bridge, the gateway itself (a module's
 * alarm), or `public`: a caller the worker forwards to a module's route with no credentials it
 * checked (an OpenID Connect relying party: the module checks the client secret it presents).
 * No event admits a public caller unless it says so.
 */
export const PRINCIPAL_KINDS = ["user", "container", "bridge", "system", "public"] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** Who acts, by kind and id (a system principal's id is its module's name). */
export interface Principal {
  kind: PrincipalKind;
  id: string;
}

/** Who sends an event, as the gateway knows them. */
export interface Actor {
  /** For a member, their user id; for another principal, `{kind}:{id}` (what records name as author). */
  userId: string;
  /** Permission strings the actor holds in this project. */
  grants: readonly string[];
  /** The principal; a member when absent. */
  principal?: Principal;
}

/** The actor's principal (a member when the actor names none). */
export function principalOf(actor: Actor): Principal {
  return actor.principal ?? { kind: "user", id: actor.userId };
}

/** A refusal with a stable code and a sentence for the person. */
export class EventError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a reducer sees. */
export interface ReduceContext {
  doc: Y.Doc;
  actor: Actor;
  /** Server time of the event, ms since the epoch. */
  now: number;
  /** A new unique id for something the event creates. */
  newId(): string;
  /** True when the actor holds the permission (for checks beyond the event's own). */
  can(permission: string): boolean;
  /** Queues an event to run after this one commits, in its own transaction. */
  emit(event: { type: string; [field: string]: unknown }): void;
  /** Every loaded module (to let each clean its data when a node goes). */
  modules: readonly ModuleDefinition[];
  /** The module's private SQLite tables, on the gateway (absent where the pipeline runs elsewhere, as in a browser). */
  sql?: ModuleSql;
  /** The project the event runs in, on the gateway. */
  project?: string;
  /** The organization whose gateway runs the event, on the gateway. */
  org?: string;
}

/** What a module sees of the org gateway's SQLite: its own tables, named `{module}_…`. */
export interface ModuleSql {
  exec<T extends Record<string, string | number | null | ArrayBuffer>>(query: string, ...bindings: unknown[]): { toArray(): T[] };
}

/** What a module's host-level hooks (alarms, routes, membership, project deletion) are given. */
export interface HostContext {
  sql: ModuleSql;
  now: number;
  /** The organization this gateway is. */
  org: string;
  /** The org's projects. */
  projects(): readonly string[];
  /** Runs an event in a project as `principal`, through the same pipeline as any (validated, authorized, logged). */
  runEvent(project: string, event: { type: string; requestId?: string; [field: string]: unknown }, principal: Principal): { ok: boolean; error?: { code: string; message: string }; result?: unknown };
  /** What a member may do in a project (their permission strings), or null when they may not see it or are no member. */
  grants(userId: string, project: string): readonly string[] | null;
  /** True when the user is a member of the organization. */
  isMember(userId: string): boolean;
  /** A member's roles: in the org, and in `project` when given (null there without one); null for a non-member. */
  roles(userId: string, project: string | null): { org: string; project: string | null } | null;
  /** Sends a message (as JSON) to every open socket of this module. */
  broadcast(message: unknown): void;
  /** The org's object store for files (an R2 bucket on the gateway); null where none is bound. */
  blobs: BlobStore | null;
}

/** Files kept outside the project docs and SQLite (an R2 bucket), by a key the module builds, never the client. */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The stored bytes and their content type, or null when there is no such object. */
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null>;
  delete(keys: readonly string[]): Promise<void>;
}

/** An open socket of a module, as its handlers see it. */
export interface SocketPeer {
  principal: Principal;
  send(message: unknown): void;
  close(code: number, reason: string): void;
}

/**
 * A WebSocket endpoint at `/gw/{org}/m/{module}{path}` (the VPN bridge's). The worker
 * authenticates the caller and names its principal; frames are JSON text.
 */
export interface SocketSpec {
  path: string;
  /** Which kinds of principal may open it. */
  principals: readonly PrincipalKind[];
  onOpen?: (host: HostContext, peer: SocketPeer) => void;
  /** A text frame (binary frames are refused before this). */
  onMessage: (host: HostContext, peer: SocketPeer, text: string) => void;
}

/** A socket's text frame parsed as JSON and checked against `schema`, or the error to answer with. */
export function parseFrame<T>(text: string, schema: z.ZodType<T>): { ok: true; data: T } | { ok: false; error: { code: string; message: string } } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: "invalid_json", message: "Frames must be JSON." } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, error: { code: "invalid_message", message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") } };
  return { ok: true, data: parsed.data };
}

/** A request to a module's route, as the gateway hands it over (no Workers types here). */
export interface ModuleRequest {
  principal: Principal;
  /** The path below `/gw/{org}/m/{module}`, e.g. `/whoami`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The raw body of a route that takes bytes (`RouteSpec.bytes`), else null. */
  bytes?: Uint8Array | null;
}

/** What a route answers: JSON, or (a file) bytes with their own headers. */
export interface RouteAnswer {
  status: number;
  body: unknown;
  /** Sent instead of `body` as JSON, with `headers` (a content type among them). */
  bytes?: Uint8Array;
  headers?: Record<string, string>;
}

/** An HTTP endpoint under `/gw/{org}/m/{module}/…`. */
export interface RouteSpec {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  /** Which kinds of principal may call it (`public`: only as the worker forwards a caller with no credentials of its own). */
  principals: readonly PrincipalKind[];
  /**
   * A handler may be async (to sign with WebCrypto); then other requests may run while it
   * awaits, so it reads and writes its tables before its first await.
   */
  handle: (host: HostContext, request: ModuleRequest) => RouteAnswer | Promise<RouteAnswer>;
  /** The permissions it checks beyond any event it runs (`{id}` parts as `*`), offered to role editors with the events'. */
  checks?: readonly string[];
  /** It takes a raw body (a file) of at most this many bytes, any content type, instead of JSON. */
  bytes?: number;
}

/** The writes of an event, run inside the transaction. Must not throw. */
export type Change = () => void;

/** A change, and a result for the sender alone (in their ack: a freshly minted secret, say). */
export interface ChangeWithResult {
  change: Change;
  result: unknown;
}

export interface EventSpec<S extends z.ZodType = z.ZodType> {
  /** The payload (the event minus `type` and `requestId`). */
  schema: S;
  /** Which kinds of principal may send it; members only when absent. */
  principals?: readonly PrincipalKind[];
  /** The permission the actor needs. */
  permission: (payload: z.infer<S>) => string;
  /** Checks (throwing EventError) and returns the change, maybe with a result for the sender. */
  reduce: (ctx: ReduceContext, payload: z.infer<S>) => Change | ChangeWithResult;
}

/** Keeps each event's payload type while the module holds a map of differently typed events. */
export function defineEvent<S extends z.ZodType>(spec: EventSpec<S>): EventSpec {
  return spec as unknown as EventSpec;
}

/** A collaborative text that permitted clients edit directly, found by its path from a root map. */
export interface EditableText {
  /** Root map name, then keys; `*` matches any key, e.g. ["notes/bodies", "*"]. */
  path: readonly string[];
  /** The permission to edit the text at the concrete path. */
  permission: (path: readonly string[]) => string;
}

export interface ModuleDefinition {
  name: string;
  dependencies: readonly string[];
  /** Events by action; the event type is `{name}:{action}`. */
  events: Record<string, EventSpec>;
  /** Permissions the module defines, documented for role editors. */
  permissions: readonly string[];
  /**
   * The node kinds it creates (core-graph keeps no list: the registry gathers these). Written
   * `["note"] as const`, so the union of every module's kinds is a type (`NodeKind`) the board's
   * registry must cover with a view.
   */
  nodeKinds?: readonly string[];
  /** The tab kinds it shows (the tabs module keeps no list: a tab of an undeclared kind is refused). Written `["view"] as const`, like nodeKinds. */
  tabKinds?: readonly string[];
  /** The codes its reducers refuse with (`EventError`), and the HTTP status each answers over HTTP. */
  errors?: Readonly<Record<string, number>>;
  editableTexts?: readonly EditableText[];
  /** The record types it keeps in a project doc, by collection (`{module}/{collection}`): their schemas and versions. */
  records?: Readonly<Record<string, RecordType<unknown>>>;
  /** Cleans the module's data about a node that is being deleted (inside the same change); `sql` is the module's tables, on the gateway. */
  onNodeDeleted?: (doc: Y.Doc, nodeId: string, sql?: ModuleSql) => void;
  /** Fills a brand-new project doc (e.g. a first view). */
  seed?: (doc: Y.Doc, now: number) => void;
  /** Periodic work, run from the gateway's alarm on loaded projects: a change to make, or null. */
  periodic?: (ctx: PeriodicContext) => Change | null;
  /** Private SQLite tables in the org's gateway (for what must not sit in a shared doc): migrations in order, each run once. */
  storage?: { migrations: readonly string[] };
  /** When the module next needs the org's alarm (ms since the epoch), or null; asked whenever the alarm is set. */
  nextAlarm?: (host: HostContext) => number | null;
  /** The alarm the module asked for has come: it fires with no project open too. */
  onAlarm?: (host: HostContext) => void;
  /** HTTP endpoints under `/gw/{org}/m/{module}/…`. */
  routes?: readonly RouteSpec[];
  /** WebSocket endpoints under `/gw/{org}/m/{module}/…`. */
  sockets?: readonly SocketSpec[];
  /** Runs after every event the gateway committed (any module's): to send what the module queued in its tables (an outbox). */
  afterEvent?: (host: HostContext) => void;
  /**
   * Who a request to a non-member route is (a container's bearer token, checked against the
   * module's storage), or null. The worker authenticates members itself.
   */
  authenticate?: (host: HostContext, credentials: { bearer: string | null }) => Principal | null;
  /** Members left the organization: revoke what they held. */
  onMembershipChanged?: (host: HostContext, change: { removed: readonly string[] }) => void;
  /** A project was deleted: drop what the module keeps about it. */
  onProjectDeleted?: (host: HostContext, project: string) => void;
}

export interface PeriodicContext {
  doc: Y.Doc;
  now: number;
  /** User ids of the organization's current members. */
  members: ReadonlySet<string>;
}

/** Bad records already reported, so each is logged once, not on every read. */
const reported = new WeakSet<object>();
const reportedKeys = new Set<string>();

/**
 * A record read back from a doc, checked against its schema: what is stored is whatever got
 * there (an old shape, a bug, an attack that once slipped through), so a bad record is
 * skipped and logged (once), never a crash or an event left unanswered. Returns the stored
 * value itself, so callers that cache by identity keep working.
 */
export function checkedRecord<T>(schema: z.ZodType<T>, value: unknown, what: string, key: string): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return value as T;
  const seen = typeof value === "object" && value !== null ? reported.has(value) : reportedKeys.has(`${what}/${key}`);
  if (!seen) {
    if (typeof value === "object" && value !== null) reported.add(value);
    else if (reportedKeys.size < 10_000) reportedKeys.add(`${what}/${key}`);
    console.warn(`skipping a bad ${what} record ${key}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "record"} ${i.message}`).join("; ")}`);
  }
  return undefined;
}

/**
 * A kind of record a module keeps in a project doc, with its shape's version. A record written
 * at version n > 1 carries `v: n`; one without `v` is version 1. Reading upgrades an older
 * record step by step (`up[0]` takes 1 to 2, `up[1]` 2 to 3, …) before checking it against the
 * current schema, in the gateway and the browser alike; a reducer writing it back writes the
 * current shape. So a shape changes with a migration here, not with ad hoc reads everywhere.
 */
export interface RecordType<T> {
  /** What it is, in a word, for logs ("container"). */
  name: string;
  version: number;
  /** The current shape (without `v`). */
  schema: z.ZodType<T>;
  up: readonly ((old: Record<string, unknown>) => Record<string, unknown>)[];
}

/** A record type, checked: one migration per version after the first. */
export function defineRecord<T>(type: RecordType<T>): RecordType<T> {
  if (!Number.isInteger(type.version) || type.version < 1 || type.up.length !== type.version - 1) {
    throw new Error(`record type ${type.name}: version ${type.version} needs ${type.version - 1} migrations, has ${type.up.length}`);
  }
  return type;
}

/**
 * A stored record in its current shape: upgraded if older, checked against the schema; a bad
 * or newer-than-known record is skipped (logged once), like `checkedRecord`. An upgraded record
 * is a new object; a current one is the stored value itself.
 */
export function readRecord<T>(type: RecordType<T>, value: unknown, key: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return checkedRecord(type.schema, value, type.name, key);
  const { v, ...fields } = value as Record<string, unknown>;
  const version = v === undefined ? 1 : v;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1 || version > type.version) {
    return checkedRecord(type.schema, { unknownVersion: version }, `${type.name} (version ${String(version)}; this code knows up to ${type.version})`, key);
  }
  if (version === type.version && v === undefined) return checkedRecord(type.schema, value, type.name, key);
  // The same stored object reads as the same record (readers cache by identity).
  const known = upgraded.get(value);
  if (known !== undefined) return known as T;
  let record = fields;
  for (let from = version; from < type.version; from++) record = type.up[from - 1]!(record);
  const checked = checkedRecord(type.schema, record, type.name, key);
  if (checked !== undefined) upgraded.set(value, checked);
  return checked;
}

/** Records read in their current shape, by the stored object they were read from. */
const upgraded = new WeakMap<object, unknown>();

/** What to store for a record: the record, with `v` when its type is past version 1. */
export function storedRecord<T extends object>(type: RecordType<T>, record: T): T {
  return type.version === 1 ? record : ({ ...record, v: type.version } as T);
}

/** The root map `{module}/{collection}` of a doc. */
export function collection<T>(doc: Y.Doc, module: string, name: string): Y.Map<T> {
  return doc.getMap<T>(`${module}/${name}`);
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * A new id for a record in a project doc: 16 characters of base64url, 96 random bits. Ids
 * repeat in every record and key that names them, so they are kept short: a 10,000-node doc
 * is a fifth smaller than with UUIDs, and loads a fifth faster.
 */
export function newRecordId(): string {
  let id = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) id += ID_ALPHABET[byte & 63];
  return id;
}
