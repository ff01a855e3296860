/**
 * The worker's container endpoints the board calls: create (with its launch command), a new
 * launch command, and the image catalog. Every answer is parsed with its schema.
 *
 * The response bodies are built from protocol/containers.ts; they belong in
 * protocol/api/ once the worker declares them there (then this file imports them).
 */
import { z } from "zod";
import { CatalogImageSchema, ContainerRecordSchema } from "../../../../protocol/containers";
import type { CreateContainerSchema } from "../../../../gateway-do/src/modules/user-containers";
import { api } from "../../api/client";

export const CreatedContainerSchema = z.object({ container: ContainerRecordSchema, token: z.string(), command: z.string() });
export type CreatedContainer = z.infer<typeof CreatedContainerSchema>;
export const LaunchCommandSchema = z.object({ token: z.string(), command: z.string() });
/** `domain` is null when this Kiln has no container domain configured. */
export const CatalogSchema = z.object({ images: z.array(CatalogImageSchema), domain: z.string().nullable(), scheme: z.enum(["http", "https"]) });
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
