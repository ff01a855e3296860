/**
 * The gateway's one event runner. Every way in (a member's socket, the worker's HTTP call, a
 * module's route, a bridge or a container) comes here: the envelope is read once, a request
 * id answered recently is answered again without running twice, the sender's actor is built
 * in the project's room, the module pipeline runs there, the outcome is logged, and the
 * follow-up events the reducer emitted run after it, each its own transaction and log entry.
 */
import type { EventAck, EventEnvelope } from "../../../protocol/events";
import type { Actor, PrincipalKind } from "../modules/kit";
import type { EventLog } from "../storage/event-log";
import type { ProjectEdits } from "../storage/project-edits";
import type * as Y from "yjs";
import { type EventOutcome, type PipelineOptions, parseEnvelope, runEnvelope } from "./pipeline";

/** How long a request id is remembered, so a retried event is answered, not run again. */
export const DEDUPE_WINDOW_MS = 10 * 60_000;
/** Follow-up events may emit follow-ups, this deep at most. */
export const MAX_FOLLOW_UP_DEPTH = 4;

/** What the runner needs of a project's room (sync/project-room.ts): why it takes no more, and running work on its doc that persists and broadcasts the update. */
export interface EventRoom {
  readonly doc: Y.Doc;
  readonly fullReason: string | null;
  apply<O extends { ok: boolean; update?: Uint8Array | null }>(work: (doc: Y.Doc) => O): O;
}

/** Who sends an event: their kind and id (as the log records them), and how to build their actor on a project's doc (custom roles live there). */
export interface EventSender {
  kind: PrincipalKind;
  id: string;
  actor: (doc: Y.Doc) => Actor;
}

/** What the runner needs of the gateway around it. */
export interface RunnerParts {
  /** The project's room, its doc loaded. */
  room: (project: string) => EventRoom;
  log: EventLog;
  /** When each project was last edited by a person. */
  edits: ProjectEdits;
  pipeline: PipelineOptions;
  org: () => string;
  /** An event of `type` was committed (its module may want its alarm sooner). */
  committed: (type: string) => void;
  /** An event and its follow-ups are done: modules send what they queued. */
  settled: () => void;
}

export class EventRunner {
  readonly #parts: RunnerParts;

  constructor(parts: RunnerParts) {
    this.#parts = parts;
  }

  /** Runs `raw` from `who` in `project`. Never throws for bad input: the outcome says what happened. */
  run(who: EventSender, project: string, raw: unknown): EventOutcome {
    const outcome = this.#run(who, project, raw, 0);
    this.#parts.settled();
    return outcome;
  }

  #run(who: EventSender, project: string, raw: unknown, depth: number): EventOutcome {
    const parsed = parseEnvelope(raw);
    if (!parsed.ok) return this.#logged(who, project, parsed.outcome);
    const { envelope } = parsed;
    // Follow-ups carry ids derived from their cause's: only what a sender sent can be a retry.
    const earlier = depth === 0 ? this.#answered(who, project, envelope) : null;
    if (earlier) return earlier;
    const room = this.#parts.room(project);
    const full = room.fullReason;
    const outcome = this.#logged(
      who,
      project,
      full
        ? { ok: false, requestId: envelope.requestId, type: envelope.type, error: { code: "doc_too_large", message: full } }
        : room.apply((doc) => runEnvelope(doc, envelope, who.actor(room.doc), { ...this.#parts.pipeline, project, org: this.#parts.org() })),
    );
    if (!outcome.ok) return outcome;
    // A person's change is an edit; a container's or the system's (a heartbeat, a cell's output) is not.
    if (outcome.update && who.kind === "user") this.#parts.edits.touch(project, who.id);
    if (depth < MAX_FOLLOW_UP_DEPTH) outcome.followUps.forEach((event, i) => this.#run(who, project, { ...event, requestId: `${outcome.requestId}.${i + 1}` }, depth + 1));
    this.#parts.committed(outcome.type);
    return outcome;
  }

  /** The answer already given to this sender's request id, if it came recently; a reused id for another event is refused. */
  #answered(who: EventSender, project: string, envelope: EventEnvelope): EventOutcome | null {
    const { requestId, type } = envelope;
    const earlier = this.#parts.log.find(who.id, project, requestId, Date.now() - DEDUPE_WINDOW_MS);
    if (!earlier) return null;
    if (earlier.type !== type) return { ok: false, requestId, type, error: { code: "request_id_reused", message: `Request id ${requestId} was used for another event: use a new id per event.` } };
    return earlier.ok ? { ok: true, requestId, type, update: null, followUps: [] } : { ok: false, requestId, type, error: { code: earlier.errorCode ?? "refused", message: earlier.errorMessage ?? "" } };
  }

  #logged(who: EventSender, project: string, outcome: EventOutcome): EventOutcome {
    this.#parts.log.append({
      actorKind: who.kind,
      userId: who.id,
      project,
      type: outcome.type,
      requestId: outcome.requestId,
      ok: outcome.ok,
      errorCode: outcome.ok ? null : outcome.error.code,
      errorMessage: outcome.ok ? null : outcome.error.message,
    });
    return outcome;
  }
}

/** The sender's answer: the outcome without what only the gateway needs (the update, the follow-ups). */
export function toAck(outcome: EventOutcome): EventAck {
  if (!outcome.ok) return { requestId: outcome.requestId, ok: false, error: outcome.error };
  return outcome.result === undefined ? { requestId: outcome.requestId, ok: true } : { requestId: outcome.requestId, ok: true, result: outcome.result };
}
