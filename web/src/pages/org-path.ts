/**
 * An organization's address in the app: `/orgs/{slug}`. Names may repeat (two teams called
 * "Acme"); slugs do not, so the address and the `@slug` shown beside a name tell them apart.
 * The API takes an org's id, its slug or a slug it had; an address naming an org any other
 * way than by its slug (a link from before slugs, or from before its slug changed) is
 * rewritten to its slug once the org is known, in place, without loading it again.
 */
import { useCallback, useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";

interface Named {
  id: string;
  slug: string;
}

export const orgPath = (org: { slug: string }) => `/orgs/${org.slug}`;

/**
 * For a page at `/orgs/{ref}/…`: `key`, what its loading depends on (the same for every
 * name of the org once it is known, so the rewrite loads nothing again), and `loaded`, to
 * call with the org once it is read or changed; then an address naming it by id or by an
 * older slug becomes one by its slug.
 */
export function useOrgAddress(ref: string): { key: string; loaded: (org: Named) => void } {
  // `via`: the address's name of the org when it was last loaded or changed (its id, an older slug).
  const [known, setKnown] = useState<{ org: Named; key: string; via: string } | null>(null);
  const names = known !== null && (ref === known.org.slug || ref === known.org.id || ref === known.via);
  const key = names ? known.key : ref;
  const loaded = useCallback(
    (org: Named) =>
      setKnown((k) => {
        if (k?.org.id !== org.id) return { org, key: ref, via: ref };
        return k.org.slug === org.slug && k.via === ref ? k : { org, key: k.key, via: ref };
      }),
    [ref],
  );
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    const prefix = `/orgs/${ref}`;
    if (!known || !names || ref === known.org.slug || !location.pathname.startsWith(prefix)) return;
    void navigate(`${orgPath(known.org)}${location.pathname.slice(prefix.length)}${location.search}${location.hash}`, { replace: true });
  }, [ref, known, names, location, navigate]);
  return { key, loaded };
}
