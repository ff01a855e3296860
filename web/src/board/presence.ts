/**
 * Presence over Yjs awareness: who is here, their name and colour, cursor (flow
 * coordinates), view, selection, live drag and the chat they are typing in.
 */
import { z } from "zod";

export const PresenceSchema = z.object({
  userId: z.string(),
  name: z.string(),
  color: z.string(),
  cursor: z.object({ x: z.number(), y: z.number() }).nullable(),
  view: z.string().nullable(),
  selection: z.array(z.string()),
  drag: z.array(z.object({ id: z.string(), x: z.number(), y: z.number() })).nullable().optional(),
  typing: z.string().nullable().optional(),
});

export type Presence = z.infer<typeof PresenceSchema>;

/** Another client in the project (one person may have several tabs open). */
export interface Peer extends Presence {
  clientId: number;
}

const PALETTE = ["#e11d48", "#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

/** A stable colour per user. */
export function colorFor(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length]!;
}

/** Reads the other clients' presence, skipping states that are not ours to understand. */
export function peersOf(states: Map<number, Record<string, unknown>>, self: number): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of states) {
    if (clientId === self) continue;
    const parsed = PresenceSchema.safeParse(state);
    if (parsed.success) peers.push({ ...parsed.data, clientId });
  }
  return peers.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}
