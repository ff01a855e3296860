/**
 * The event pipeline, pure over a Y.Doc: validate the envelope and the payload (the owning
 * module's zod schema), check the permission, let the reducer check and plan, then apply
 * its change in one Yjs transaction and hand back the update to persist and broadcast.
 */
import type * as Y from "yjs";
import type { z } from "zod";
import { type EventEnvelope, EventEnvelopeSchema } from "../../../protocol/events";
import type { ErrorShape } from "../../../protocol/errors";
import { isAllowed } from "../permissions/permission";
import { type Actor, type Change, type ChangeWithResult, EventError, type ModuleDefinition, type ModuleSql, newRecordId, principalOf } from "../modules/kit";
import { eventSpecs as registeredSpecs, modules as registeredModules } from "../modules/registry";
import { captureUpdate } from "../doc/capture";

/** Codes the pipeline and the gateway refuse events with, whatever the module, and their HTTP status. */
export const PIPELINE_ERRORS: Readonly<Record<string, number>> = {
  invalid_event: 400,
  invalid_payload: 400,
  unknown_event: 400,
  forbidden: 403,
  request_id_reused: 409,
  doc_too_large: 413,
  rate_limited: 429,
};

/** Every refusal code of the pipeline and of `modules`, with its HTTP status; two modules may not give one code two statuses. */
export function errorStatuses(modules: readonly ModuleDefinition[]): ReadonlyMap<string, number> {
  const statuses = new Map(Object.entries(PIPELINE_ERRORS));
  for (const module of modules) {
    for (const [code, status] of Object.entries(module.errors ?? {})) {
      const known = statuses.get(code);
      if (known !== undefined && known !== status) throw new Error(`module ${module.name} answers ${code} with ${status}, elsewhere ${known}`);
      statuses.set(code, status);
    }
  }
  return statuses;
}

/** Why an event was refused: the error shape of protocol/errors.ts. */
export type EventFailure = ErrorShape;

export type EventOutcome =
  | {
      ok: true;
      requestId: string;
      type: string;
      update: Uint8Array | null;
      followUps: { type: string; [field: string]: unknown }[];
      /** What the reducer returned for the sender alone (their ack), if anything. */
      result?: unknown;
    }
  | { ok: false; requestId: string | null; type: string | null; error: EventFailure };

function fieldsOf(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) (fields[issue.path.join(".") || "event"] ??= []).push(issue.message);
  return fields;
}

export interface PipelineOptions {
  now?: number;
  newId?: () => string;
  /** The transaction origin, so listeners can tell server events from client edits. */
  origin?: unknown;
  /** The module's private tables, where the gateway runs the pipeline. */
  sql?: (module: string) => ModuleSql;
  /** The project the doc is, where the gateway runs the pipeline. */
  project?: string;
  /** The organization, where the gateway runs the pipeline. */
  org?: string;
  specs?: typeof registeredSpecs;
  modules?: readonly ModuleDefinition[];
}

/** An envelope read, or the refusal of one that could not be. */
export type ParsedEnvelope = { ok: true; envelope: EventEnvelope } | { ok: false; outcome: EventOutcome & { ok: false } };

/** Reads an event's envelope (type and request id) once; what follows works on the typed value. */
export function parseEnvelope(raw: unknown): ParsedEnvelope {
  const envelope = EventEnvelopeSchema.safeParse(raw);
  if (envelope.success) return { ok: true, envelope: envelope.data };
  // No request id in the answer: one that could not be read cannot be matched.
  return { ok: false, outcome: { ok: false, requestId: null, type: null, error: { code: "invalid_event", message: "An event needs a type (module:action) and a requestId.", fields: fieldsOf(envelope.error) } } };
}

/** Runs one event from `actor` against `doc`. Never throws for bad input: it answers. */
export function runEvent(doc: Y.Doc, raw: unknown, actor: Actor, options: PipelineOptions = {}): EventOutcome {
  const parsed = parseEnvelope(raw);
  return parsed.ok ? runEnvelope(doc, parsed.envelope, actor, options) : parsed.outcome;
}

/** Runs one event whose envelope is read (see parseEnvelope). */
export function runEnvelope(doc: Y.Doc, envelope: EventEnvelope, actor: Actor, options: PipelineOptions = {}): EventOutcome {
  const { type, requestId: id, ...payload } = envelope;
  const fail = (code: string, message: string, fields?: Record<string, string[]>): EventOutcome => ({ ok: false, requestId: id, type, error: { code, message, ...(fields ? { fields } : {}) } });

  const spec = (options.specs ?? registeredSpecs).get(type);
  if (!spec) return fail("unknown_event", `No module handles "${type}".`);
  const parsed = spec.schema.safeParse(payload);
  if (!parsed.success) return fail("invalid_payload", `Invalid ${type}: check ${Object.keys(fieldsOf(parsed.error)).join(", ")}.`, fieldsOf(parsed.error));
  const principal = principalOf(actor);
  if (!(spec.principals ?? ["user"]).includes(principal.kind)) return fail("forbidden", `A ${principal.kind} cannot send ${type}.`);
  const needed = spec.permission(parsed.data);
  if (!isAllowed(actor.grants, needed)) return fail("forbidden", `You lack the permission ${needed}.`);

  const followUps: { type: string; [field: string]: unknown }[] = [];
  let reduced: Change | ChangeWithResult;
  try {
    reduced = spec.reduce(
      {
        doc,
        actor,
        now: options.now ?? Date.now(),
        newId: options.newId ?? newRecordId,
        can: (permission) => isAllowed(actor.grants, permission),
        emit: (event) => followUps.push(event),
        modules: options.modules ?? registeredModules,
        sql: options.sql?.(type.slice(0, type.indexOf(":"))),
        project: options.project,
        org: options.org,
      },
      parsed.data,
    );
  } catch (error) {
    if (error instanceof EventError) return fail(error.code, error.message);
    throw error;
  }

  const change = typeof reduced === "function" ? reduced : reduced.change;
  const update = captureUpdate(doc, () => doc.transact(change, options.origin ?? "event"));
  const outcome: EventOutcome = { ok: true, requestId: id, type, update, followUps };
  if (typeof reduced !== "function") outcome.result = reduced.result;
  return outcome;
}
