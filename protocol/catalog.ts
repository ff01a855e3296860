/**
 * The images Kiln ships (built from `vpn-bridge/images/`), as the create dialog offers them:
 * one list, read by the gateway and the worker, and checked against the images' own
 * declarations by `vpn-bridge/agent/test/catalog.test.ts`. Any other image works too if it
 * runs the agent; its creator declares its services.
 */
import { z } from "zod";
import shipped from "./catalog.json" with { type: "json" };
import { type CatalogImage, CatalogImageSchema } from "./containers";

export const CATALOG: readonly CatalogImage[] = z.array(CatalogImageSchema).parse(shipped);

/** The services an image declares, if it is one of the catalog's. */
export function catalogServices(image: string): CatalogImage["services"] | null {
  return CATALOG.find((entry) => entry.image === image)?.services ?? null;
}
