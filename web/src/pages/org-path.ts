/**
 * An organization's address in the app: `/orgs/{slug}`. Names may repeat (two teams called
 * "Acme"); slugs do not, so the address and the `@slug` shown beside a name tell them apart.
 * The API takes an org's id or its slug; an address naming an org by id (a link from before
 * slugs) is rewritten to its slug once the org is known, in place, without loading it again.
 */
import { useCallback, useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";

interface Named {
  id: string;
  slug: string;
}

export const orgPath = (org: { slug: string }) => `/orgs/${org.slug}`;

/**
 * For a page at `/orgs/{ref}/…`: `key`, what its loading depends on (the same for the org's id
 * and its slug once the org is known, so the rewrite loads nothing again), and `loaded`, to
 * call with the org once it is read; then an address naming it by id becomes one by slug.
 */
export function useOrgAddress(ref: string): { key: string; loaded: (org: Named) => void } {
  const [known, setKnown] = useState<{ org: Named; key: string } | null>(null);
  const key = known && (ref === known.org.id || ref === known.org.slug) ? known.key : ref;
  const loaded = useCallback((org: Named) => setKnown((k) => (k?.org.id === org.id && k.org.slug === org.slug ? k : { org, key: ref })), [ref]);
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    const prefix = `/orgs/${ref}`;
    if (!known || ref === known.org.slug || ref !== known.org.id || !location.pathname.startsWith(prefix)) return;
    void navigate(`${orgPath(known.org)}${location.pathname.slice(prefix.length)}${location.search}${location.hash}`, { replace: true });
  }, [ref, known, location, navigate]);
  return { key, loaded };
}
