/** Who is signed in (`GET /api/me`) and the names of the org's members (`GET /api/orgs/{org}/members`). */
import { z } from "zod";

const MeSchema = z.object({ user: z.object({ id: z.string(), name: z.string(), email: z.string() }) });
const MembersSchema = z.object({ members: z.array(z.object({ user: z.object({ id: z.string(), name: z.string(), email: z.string() }) })) });

/** A person's display name: their name, else the part of their email before the @. */
export const displayName = (u: { name: string; email: string }) => u.name.trim() || u.email.split("@")[0] || u.email;

/** The signed-in user, or null when signed out. */
export async function fetchMe(): Promise<{ id: string; name: string } | null> {
  const res = await fetch("/api/me", { headers: { accept: "application/json" } });
  if (res.status === 401) return null;
  const me = MeSchema.parse(await res.json());
  return { id: me.user.id, name: displayName(me.user) };
}

/** Member names by user id (for chat authors who are not online). */
export async function fetchMemberNames(org: string): Promise<Map<string, string>> {
  const res = await fetch(`/api/orgs/${encodeURIComponent(org)}/members`, { headers: { accept: "application/json" } });
  if (!res.ok) return new Map();
  const parsed = MembersSchema.safeParse(await res.json());
  return new Map(parsed.success ? parsed.data.members.map((m) => [m.user.id, displayName(m.user)]) : []);
}
