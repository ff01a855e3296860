/**
 * The rules of an organization's slug (`/orgs/{slug}`), checked by the API when an admin
 * changes it and by the settings form as they type. Who holds which slug is the API's
 * (worker/src/orgs/slugs.ts).
 */

/** Lowercase letters and digits in dash-separated runs; never shaped like an id (an org's URL takes either). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** The longest slug a person may choose, and the longest a name makes before any `-2`. */
export const MAX_SLUG = 40;
const ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether an org reference in a URL is an id (else it is a slug). */
export const isOrgId = (ref: string): boolean => ID_SHAPE.test(ref);

/** What is wrong with `slug` as a slug a person chose, said so they can fix it; null if nothing. */
export function slugProblem(slug: string): string | null {
  if (slug.length === 0 || slug.length > MAX_SLUG) return `An address has 1 to ${MAX_SLUG} characters.`;
  if (!SLUG_PATTERN.test(slug)) return "Use lowercase letters, digits and single hyphens between them: no capitals, spaces or other signs, and no hyphen first or last.";
  if (isOrgId(slug)) return "An address cannot be shaped like an id (8-4-4-4-12 hexadecimal digits): links would read it as one.";
  return null;
}
