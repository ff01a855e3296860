/** What `/api/orgs/{org}/…/containers*`, `/api/containers/catalog` and `/api/bridge/orgs` answer. */
import { z } from "zod";
import { CatalogImageSchema, ContainerIdSchema, ContainerRecordSchema, ContainerStateSchema, ServiceSchema, ShareLevelSchema } from "../containers";

/** A new container, its token (shown this once) and the `docker run` line to copy. */
export const ContainerCreatedSchema = z.object({ container: ContainerRecordSchema, token: z.string(), command: z.string() }).meta({ id: "ContainerCreated" });
export type ContainerCreated = z.infer<typeof ContainerCreatedSchema>;

/** A new token and launch command (the old token stops working). */
export const ContainerLaunchSchema = z.object({ token: z.string(), command: z.string() }).meta({ id: "ContainerLaunch" });

/** A container as the gateway knows it now. */
export const ContainerStatusSchema = z
  .object({
    id: ContainerIdSchema,
    project: z.uuid(),
    owner: z.string(),
    share: ShareLevelSchema,
    state: ContainerStateSchema,
    address: z.string().nullable(),
    services: z.array(ServiceSchema),
    lastSeen: z.number().nullable(),
    /** When a visitor last used it (or a kernel's cell ended), as idle culling counts; null before any. */
    activeAt: z.number().nullable(),
  })
  .meta({ id: "ContainerStatus" });

/** The images offered; `domain` is null when this Kiln has no container domain configured. */
export const ContainerCatalogSchema = z
  .object({ images: z.array(CatalogImageSchema), domain: z.string().nullable(), scheme: z.enum(["http", "https"]) })
  .meta({ id: "ContainerCatalog" });
export type ContainerCatalog = z.infer<typeof ContainerCatalogSchema>;

/** The organizations pinned to the bridge asking. */
export const BridgeOrgsSchema = z.object({ orgs: z.array(z.uuid()) }).meta({ id: "BridgeOrgs" });

/** Idle culling's bounds, in minutes: from five minutes to a week. */
export const IDLE_MINUTES = { min: 5, max: 10_080 } as const;

/**
 * The org's idle culling: stop a running container no visitor has used (a request to one of
 * its hosts, typing in its terminal) and no kernel has run a cell on for `idleMinutes`; null: off.
 */
export const ContainerSettingsSchema = z
  .object({ idleMinutes: z.int().min(IDLE_MINUTES.min).max(IDLE_MINUTES.max).nullable() })
  .meta({ id: "ContainerSettings" });
export type ContainerSettings = z.infer<typeof ContainerSettingsSchema>;
