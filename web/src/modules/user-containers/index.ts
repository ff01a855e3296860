/**
 * user-containers on the web: the container node (live state, metrics, services, launch
 * command, actions), the Container tool opening the create dialog at the clicked point, and
 * its permissions in words. A deleted container does not come back with undo: its token and
 * VPN address are gone, so restore is null and the node stays deleted.
 *
 * App tabs (AppTab.tsx, tabs' kind "app", target `{container}/{service}`) are drawn once the
 * tab bar can show a tab that is not a view: TabKindView needs a `content` renderer and a
 * resolve without a viewId. Until then no button opens one.
 */
import { type WebModule, defineNodeView } from "../kit";
import { CONTAINER_ICON, ContainerNode } from "./ContainerNode";
import { CreateContainerOverlay } from "./CreateContainerDialog";
import { openCreateDialog } from "./create-dialog-state";
import { PERMISSION_WORDS } from "./permissions";

const container = defineNodeView({
  component: ContainerNode,
  data: (base) => base,
  dragHandle: ".node-handle",
  minimap: { small: "#bbf7d0", big: "#16a34a" },
  // Undo of a delete does not bring a container back (its token and address are revoked).
  restore: { save: () => null, restore: () => null },
});

export const userContainers = {
  title: "Containers",
  memberWork: "containers",
  permissions: PERMISSION_WORDS,
  nodes: { container },
  tools: [
    {
      section: "create",
      icon: CONTAINER_ICON,
      label: "Container",
      title: "New container (a machine of yours on the board)",
      menuLabel: "New container here",
      run: async (store, viewId, at) => openCreateDialog(store, viewId, at),
    },
  ],
  overlays: [CreateContainerOverlay],
} satisfies WebModule;
