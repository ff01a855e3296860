/**
 * user-containers on the web: the container node (live state, metrics, services, launch
 * command, actions), the Container tool opening the create dialog at the clicked point, and
 * its permissions in words. A deleted container does not come back with undo: its token and
 * VPN address are gone, so restore is null and the node stays deleted.
 *
 * A service also opens as a tab of the project (AppTab.tsx, tabs' kind "app", target
 * `{container}/{service}`): the tab bar lists it with the views, and the editor draws it over
 * the board.
 */
import { type WebModule, defineNodeView } from "../kit";
import { AppTab } from "./AppTab";
import { CONTAINER_ICON, ContainerNode } from "./ContainerNode";
import { CreateContainerOverlay } from "./CreateContainerDialog";
import { openCreateDialog } from "./create-dialog-state";
import { PERMISSION_WORDS } from "./permissions";

const container = defineNodeView({
  component: ContainerNode,
  data: (base) => base,
  dragHandle: ".node-handle",
  minimap: { small: "#bbf7d0", big: "#16a34a" },
  // Zoomed far out: its card (board.css and its own .board-container).
  far: { outline: "box", radius: 10, fill: "var(--card)", stroke: "var(--border)", strokeWidth: 1 },
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
  tabs: {
    app: {
      resolve: (_doc, tab) => ({ title: tab.title, viewId: null, content: AppTab }),
      rename: (tab, name) => [{ type: "tabs:rename", tabId: tab.id, title: name }],
    },
  },
} satisfies WebModule;
