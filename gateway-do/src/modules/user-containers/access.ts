/**
 * Who may open a container's services, by its share level: one pure rule, which the gateway's
 * access check enforces and the board follows to say why an Open button is off.
 */
import type { ShareLevel } from "../../../../protocol/containers";
import { isAllowed } from "../../permissions/permission";
import { containerPermission } from "./records";

export function mayOpenContainer(container: { id: string; owner: string; share: ShareLevel }, userId: string, grants: readonly string[], isMember: boolean): boolean {
  switch (container.share) {
    case "link":
      return true;
    case "org":
      return isMember;
    case "project":
      return isAllowed(grants, containerPermission(container.id, "open"));
    case "owner":
      // Its owner, and those whose roles grant every action (org owners and admins, project admins).
      return container.owner === userId || isAllowed(grants, `user-containers:[user-container:${container.id}]:administer`);
  }
}

/** Whether they type in its terminal (its owner, or `:terminal`); others let in watch. */
export function mayTypeInContainer(container: { id: string; owner: string }, userId: string, grants: readonly string[]): boolean {
  return container.owner === userId || isAllowed(grants, containerPermission(container.id, "terminal"));
}
