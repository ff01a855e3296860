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

/**
 * Where a person opens a container's service, or why they cannot yet: the one rule the
 * node's service rows and the app tab both follow.
 */
export function serviceAddress(input: {
  container: ContainerRecord;
  service: Service;
  org: string | undefined;
  catalog: CatalogState;
  mayOpen: boolean;
  notShared: string;
  /** Whether the person may type in the container (a service that runs code opens for them alone). */
  mayType: boolean;
}): { url: string; why: null } | { url: null; why: string } {
  const { container, service, org, catalog } = input;
  const why =
    service.protocol !== "http"
      ? `A TCP service: reach it on the organization's network${container.address ? ` at ${container.address}:${service.port}` : ""}.`
      : container.state !== "running"
        ? "It opens once the container is running."
        : !input.mayOpen
          ? input.notShared
          : service.runsCode && !input.mayType
            ? `${service.name} runs the code its visitors send: only this container's owner and those allowed to type in its terminal open it.`
          : catalog.kind === "error"
            ? catalog.message
            : catalog.kind === "loading" || !org
              ? "Finding its address…"
              : catalog.catalog.domain === null
                ? "This Kiln has no container domain configured, so its apps cannot be opened."
                : null;
  const url = why === null && catalog.kind === "ready" && org ? serviceUrl(catalog.catalog, org, container, service) : null;
  return url === null ? { url: null, why: why ?? "Finding its address…" } : { url, why: null };
}
