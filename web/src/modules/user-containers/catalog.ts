/** The image catalog and the container hosts' domain, fetched once per page, as a hook; and a service's address. */
import { useEffect, useState } from "react";
import { type ContainerRecord, type Service, formatContainerHost } from "../../../../protocol/containers";
import { asApiError } from "../../api/client";
import { type Catalog, fetchCatalog } from "./api";

export type CatalogState = { kind: "loading" } | { kind: "ready"; catalog: Catalog } | { kind: "error"; message: string };

let last: Catalog | null = null;

/** The catalog, loading it on first use. */
export function useCatalog(): CatalogState {
  const [state, setState] = useState<CatalogState>(() => (last ? { kind: "ready", catalog: last } : { kind: "loading" }));
  useEffect(() => {
    let live = true;
    fetchCatalog().then(
      (catalog) => {
        last = catalog;
        if (live) setState({ kind: "ready", catalog });
      },
      (error: unknown) => live && setState({ kind: "error", message: asApiError(error).message }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** Forgets the catalog seen (tests). */
export const forgetSeenCatalog = () => {
  last = null;
};

/** A service's address for a browser: `{scheme}://uc-{id}--{service}.org-{org}.{domain}/`; null when no domain is configured. */
export function serviceUrl(catalog: Pick<Catalog, "domain" | "scheme">, org: string, container: ContainerRecord, service: Service): string | null {
  if (catalog.domain === null) return null;
  return `${catalog.scheme}://${formatContainerHost({ container: container.id, service: service.name, org, domain: catalog.domain })}/`;
}
