/**
 * The worker's container endpoints the board calls: create (with its launch command), a new
 * launch command, and the image catalog. Every answer is parsed with its schema.
 * The response bodies are protocol/api/containers.ts's, as the worker declares them.
 */
import type { z } from "zod";
import { ContainerCatalogSchema, ContainerCreatedSchema, ContainerLaunchSchema, type ContainerSettings, ContainerSettingsSchema } from "../../../../protocol/api/containers";
import type { CreateContainerSchema } from "../../../../gateway-do/src/modules/user-containers";
import { api } from "../../api/client";

export const CreatedContainerSchema = ContainerCreatedSchema;
export type CreatedContainer = z.infer<typeof CreatedContainerSchema>;
export const LaunchCommandSchema = ContainerLaunchSchema;
/** `domain` is null when this Kiln has no container domain configured. */
export const CatalogSchema = ContainerCatalogSchema;
export type Catalog = z.infer<typeof CatalogSchema>;

/** The create body: the gateway's event schema, which the worker validates with. */
export type NewContainer = z.input<typeof CreateContainerSchema>;

const path = (s: string) => encodeURIComponent(s);

/** `POST /api/orgs/{org}/projects/{project}/containers`: the container, placed on the board, and its launch command (shown once). */
export const createContainer = (org: string, project: string, body: NewContainer) =>
  api("POST", `/orgs/${path(org)}/projects/${path(project)}/containers`, CreatedContainerSchema, { body });

/** `POST /api/orgs/{org}/containers/{id}/launch`: a new token and command; the old token stops working. */
export const newLaunchCommand = (org: string, container: string) => api("POST", `/orgs/${path(org)}/containers/${path(container)}/launch`, LaunchCommandSchema);

let catalog: Promise<Catalog> | null = null;
/** `GET /api/containers/catalog`: the images offered, and the domain and scheme of container hosts. Asked once per page; asked again after a failure. */
export function fetchCatalog(): Promise<Catalog> {
  catalog ??= api("GET", "/containers/catalog", CatalogSchema).catch((error: unknown) => {
    catalog = null;
    throw error;
  });
  return catalog;
}

/** Forgets the catalog (tests). */
export const forgetCatalog = () => {
  catalog = null;
};

/** `GET /api/orgs/{org}/container-settings`: the org's idle culling (minutes, or null when off). */
export const fetchContainerSettings = (org: string) => api("GET", `/orgs/${path(org)}/container-settings`, ContainerSettingsSchema);

/** `PUT /api/orgs/{org}/container-settings`: sets it (the org's admins and owners). */
export const saveContainerSettings = (org: string, settings: ContainerSettings) => api("PUT", `/orgs/${path(org)}/container-settings`, ContainerSettingsSchema, { body: settings });
