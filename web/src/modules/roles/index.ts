/** roles on the web: its permissions in words (the roles page is in pages/project/). */
import type { WebModule } from "../kit";

export const roles = {
  title: "Roles",
  permissions: {
    "roles:manage-roles": "Manage custom roles and who holds them",
  },
} satisfies WebModule;
