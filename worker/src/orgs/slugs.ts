/**
 * An organization's slug: its name as it appears in the app's URLs (`/orgs/acme-labs`).
 * Names may repeat; slugs do not. Made from the name when the org is made and kept when it
 * is renamed; its admins may change it (`PUT /api/orgs/{org}/slug`).
 *
 * Who holds a slug is `organizations_slugs`: every slug an org has held, its current one
 * included. Old slugs stay reserved for the org that had them, so a person following an old
 * link lands in that org (and the app rewrites the address to its current slug), never in
 * another one. The org itself may take an old slug back; its slugs go free when it is deleted.
 */
import { type SQL, and, eq, like, or, sql } from "drizzle-orm";
import { organizations, organizationsSlugs } from "../../../drizzle/schema";
import type { Executor } from "../../../drizzle/client";
import { MAX_SLUG, isOrgId } from "../../../protocol/org-slugs";
import { ApiError } from "../lib/errors";

/** The slug a name asks for: accents dropped, anything else than letters and digits a dash, at most 40 characters; "org" if nothing is left. */
export function slugOf(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, "");
  if (base === "") return "org";
  return isOrgId(base) ? `org-${base.slice(0, MAX_SLUG - 4).replace(/-+$/, "")}` : base;
}

/** The first of `acme`, `acme-2`, `acme-3`, … no org holds or held. */
export async function freeSlug(db: Executor, name: string): Promise<string> {
  const base = slugOf(name);
  const held = await db
    .select({ slug: organizationsSlugs.slug })
    .from(organizationsSlugs)
    .where(or(eq(organizationsSlugs.slug, base), like(organizationsSlugs.slug, `${base}-%`)));
  const taken = new Set(held.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Records that `orgId` holds `slug`, in the transaction that gives it the slug; a slug it
 * held before is its own already. No read decides whether another org holds it: the primary
 * key does, so of two orgs claiming one slug at once the second waits for the first and fails
 * with a unique violation (the caller's 409 `slug_taken`, `slugTaken`).
 */
export async function holdSlug(tx: Executor, orgId: string, slug: string): Promise<void> {
  const [own] = await tx
    .select({ slug: organizationsSlugs.slug })
    .from(organizationsSlugs)
    .where(and(eq(organizationsSlugs.slug, slug), eq(organizationsSlugs.orgId, orgId)));
  if (!own) await tx.insert(organizationsSlugs).values({ slug, orgId });
}

/** 409 for a slug another org holds or held, naming the field so the form shows it there. */
export function slugTaken(slug: string): ApiError {
  const message = `The address /orgs/${slug} is taken: another organization has it, or had it and old links to it still lead there. Choose another.`;
  return new ApiError(409, "slug_taken", message, { slug: [message] });
}

/** A condition on `organizations` for the org `ref` names: by its id, its slug, or a slug it had. */
export function orgNamedBy(ref: string): SQL {
  if (isOrgId(ref)) return eq(organizations.id, ref);
  return eq(organizations.id, sql`(select ${organizationsSlugs.orgId} from ${organizationsSlugs} where ${organizationsSlugs.slug} = ${ref})`);
}
