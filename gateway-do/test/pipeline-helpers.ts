/** Running events through the pipeline on a bare doc, as a member of a members-only project, for the modules' pure tests. */
import type * as Y from "yjs";
import { type EventOutcome, runEvent } from "../src/events/pipeline";
import type { Actor } from "../src/modules/kit";
import { grantsFor } from "../src/permissions/roles";

export const member: Actor = { userId: "member", grants: grantsFor({ userId: "member", orgRole: "member", projectRole: "member", customGrants: [], hasCustomRoles: false }, "members") };

let counter = 0;
/** Runs one event of `type` with `payload` on `doc`, with fresh request and record ids. */
export const run = (doc: Y.Doc, type: string, payload: Record<string, unknown>, actor = member): EventOutcome =>
  runEvent(doc, { type, requestId: `r${++counter}`, ...payload }, actor, { newId: () => `id${++counter}` });

/** Fails the test, saying why, when the event was refused. */
export function ok(outcome: EventOutcome): void {
  if (!outcome.ok) throw new Error(`${outcome.type} refused: ${outcome.error.code} ${outcome.error.message}`);
}

/** Why the event was refused; null when it was not. */
export const refusal = (outcome: EventOutcome) => (outcome.ok ? null : outcome.error);
