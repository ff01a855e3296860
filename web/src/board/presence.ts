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
  /** When this tab joined the project (its clock): the order colours are given in. */
  arrived: z.number().optional(),
});

export type Presence = z.infer<typeof PresenceSchema>;

/** Another client in the project (one person may have several tabs open). */
export interface Peer extends Presence {
  clientId: number;
}

/** Presence colours, most distinct first: the first people on a project never share one. */
export const PALETTE = ["#2563eb", "#e11d48", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4f46e5", "#65a30d", "#0d9488", "#7c2d12"];

/**
 * Each present person's colour, by user id: in order of arrival (a person's earliest tab; ties
 * by user id), a person keeps the colour they claim unless someone who came earlier has it, and
 * otherwise takes the first colour nobody has. Every screen computes the same from the same
 * presence, and a person who then claims the colour given keeps it while present, whoever leaves.
 * Beyond the palette's size colours repeat, in the same order.
 */
export function assignColors(states: Iterable<Pick<Presence, "userId" | "color" | "arrived">>): Map<string, string> {
  const people = new Map<string, { userId: string; claim: string; arrived: number }>();
  for (const s of states) {
    const arrived = s.arrived ?? Number.MAX_SAFE_INTEGER;
    const known = people.get(s.userId);
    if (!known || arrived < known.arrived) people.set(s.userId, { userId: s.userId, claim: s.color, arrived });
  }
  const order = [...people.values()].sort((a, b) => a.arrived - b.arrived || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const colors = new Map<string, string>();
  const used = new Map<string, number>();
  const uses = (c: string) => used.get(c) ?? 0;
  for (const person of order) {
    const round = Math.floor(colors.size / PALETTE.length);
    const color = PALETTE.includes(person.claim) && uses(person.claim) <= round ? person.claim : PALETTE.reduce((best, c) => (uses(c) < uses(best) ? c : best), PALETTE[0]!);
    colors.set(person.userId, color);
    used.set(color, uses(color) + 1);
  }
  return colors;
}

/** Parses every client's presence (this one's too), skipping states that are not ours to understand. */
export function presencesOf(states: Map<number, Record<string, unknown>>): Map<number, Presence> {
  const parsed = new Map<number, Presence>();
  for (const [clientId, state] of states) {
    const p = PresenceSchema.safeParse(state);
    if (p.success) parsed.set(clientId, p.data);
  }
  return parsed;
}

/** The other clients, with the colours `colors` gives their people (see assignColors). */
export function peersOf(presences: Map<number, Presence>, self: number, colors: ReadonlyMap<string, string>): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, p] of presences) if (clientId !== self) peers.push({ ...p, color: colors.get(p.userId) ?? p.color, clientId });
  return peers.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}
