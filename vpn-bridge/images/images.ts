/**
 * The user-container images Kiln ships: one Debian rootfs (debootstrap + the packages every
 * image needs, built once and shared as a single layer), a `base` image adding the agent, and
 * one image per kind on top of it. The catalog (`protocol/catalog.json`) describes them to users.
 */

/** The version tag of every image; raise it when an image changes in a way users should see. */
export const IMAGE_TAG = "1";

export interface ImageRecipe {
  /** Folder under `vpn-bridge/images/` holding its Containerfile (and its build context). */
  name: string;
  /** The image reference, as the catalog and `docker run` name it. */
  ref: string;
  /** Debian packages this image needs in the shared rootfs. */
  packages: string[];
}

export const IMAGES: ImageRecipe[] = [
  // The agent's needs: Node for agent.mjs, OpenVPN and iproute2 for the VPN, catatonit as PID 1.
  { name: "base", ref: `localhost/kiln-base:${IMAGE_TAG}`, packages: ["nodejs", "openvpn", "iproute2", "ca-certificates", "catatonit"] },
  { name: "terminal", ref: `localhost/kiln-terminal:${IMAGE_TAG}`, packages: ["bash", "coreutils", "procps", "less", "curl", "git", "vim-tiny", "openssh-client"] },
  { name: "jupyter", ref: `localhost/kiln-jupyter:${IMAGE_TAG}`, packages: ["python3-jupyter-server", "python3-ipykernel", "python3-numpy"] },
];

/** Every package of every image, sorted and without repeats: the rootfs's contents. */
export function rootfsPackages(images: ImageRecipe[] = IMAGES): string[] {
  return [...new Set(images.flatMap((image) => image.packages))].sort();
}
