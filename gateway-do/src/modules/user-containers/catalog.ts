/**
 * The images Kiln ships (built from `vpn-bridge/images/`), as the create dialog offers them.
 * Any other image works too if it runs the agent; its creator declares its services.
 */
import type { CatalogImage } from "../../../../protocol/containers";

export const CATALOG: readonly CatalogImage[] = [
  {
    image: "localhost/kiln-jupyter:1",
    name: "Jupyter",
    description: "Jupyter Server with a Python 3 kernel (ipykernel): notebooks and kernels for the board's cells.",
    services: [{ name: "jupyter", port: 8888, protocol: "http" }],
    tags: ["lang:python", "app:jupyter", "os:debian"],
  },
  {
    image: "localhost/kiln-terminal:1",
    name: "Terminal",
    description: "A Debian shell (bash, git, curl, vim) to work in from the board.",
    services: [],
    tags: ["lang:bash", "app:terminal", "os:debian"],
  },
];

/** The services an image declares, if it is one of the catalog's. */
export function catalogServices(image: string): CatalogImage["services"] | null {
  return CATALOG.find((entry) => entry.image === image)?.services ?? null;
}
