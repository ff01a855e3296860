/**
 * What a gateway module is made of. A module owns root maps of the project's Yjs doc
 * (named `{module}/{collection}`), declares its events with zod schemas, the permission
 * each needs, and reducers. A reducer checks first and returns the change to make: the
 * pipeline applies it in one Yjs transaction, so a refused event writes nothing.
 * This file (and every module) is shared with web/: no Workers types here.
 */
import type * as Y from "yjs";
import type { z } from "zod";

/** Who sends an event, as the gateway knows them. */
export interface Actor {
  userId: string;
  /** Permission strings the actor holds in this project. */
  grants: readonly string[];
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
}

/** The writes of an event, run inside the transaction. Must not throw. */
export type Change = () => void;

export interface EventSpec<S extends z.ZodType = z.ZodType> {
  /** The payload (the event minus `type` and `requestId`). */
  schema: S;
  /** The permission the actor needs. */
  permission: (payload: z.infer<S>) => string;
  /** Checks (throwing EventError) and returns the change. */
  reduce: (ctx: ReduceContext, payload: z.infer<S>) => Change;
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
  /** Root maps the module owns, with their initial shape (empty maps). */
  collections: readonly string[];
  /** Events by action; the event type is `{name}:{action}`. */
  events: Record<string, EventSpec>;
  /** Permissions the module defines, documented for role editors. */
  permissions: readonly string[];
  editableTexts?: readonly EditableText[];
  /** Cleans the module's data about a node that is being deleted (inside the same change). */
  onNodeDeleted?: (doc: Y.Doc, nodeId: string) => void;
  /** Fills a brand-new project doc (e.g. a first view). */
  seed?: (doc: Y.Doc, now: number) => void;
  /** Periodic work, run from the gateway's alarm on loaded projects: a change to make, or null. */
  periodic?: (ctx: PeriodicContext) => Change | null;
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
