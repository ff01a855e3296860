/**
 * An organization's slug: its name as it appears in the app's URLs (`/orgs/acme-labs`).
 * Names may repeat; slugs do not. Made once, when the org is made, and kept when it is
 * renamed, so links keep working.
 */
import { eq, like, or } from "drizzle-orm";
import { organizations } from "../../../drizzle/schema";
import type { Executor } from "../../../drizzle/client";

/** Lowercase letters and digits in dash-separated runs; never shaped like an id (an org's URL takes either). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_BASE = 40;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The slug a name asks for: accents dropped, anything else than letters and digits a dash, at most 40 characters; "org" if nothing is left. */
export function slugOf(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_BASE)
    .replace(/^-+|-+$/g, "");
  if (base === "") return "org";
  return UUID_SHAPE.test(base) ? `org-${base.slice(0, MAX_BASE - 4).replace(/-+$/, "")}` : base;
}

/** The first of `acme`, `acme-2`, `acme-3`, … no org holds yet. */
export async function freeSlug(db: Executor, name: string): Promise<string> {
  const base = slugOf(name);
  const taken = new Set((await db.select({ slug: organizations.slug }).from(organizations).where(or(eq(organizations.slug, base), like(organizations.slug, `${base}-%`)))).map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Whether an org reference in a URL is an id (else it is a slug). */
export const isOrgId = (ref: string): boolean => UUID_SHAPE.test(ref);
