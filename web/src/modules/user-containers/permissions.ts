/** The user-containers permissions as the gateway module declares them (records.ts's containerPermission), in words, and who may open a container. */
import type { ContainerRecord } from "../../../../protocol/containers";
import { mayOpenContainer, mayTypeInContainer } from "../../../../gateway-do/src/modules/user-containers/access";

export type ContainerAction = "delete" | "stop" | "restart" | "share" | "launch" | "open";

/** The permission an action on one container needs: stop, restart, share and a new launch command are `update`. */
export const containerPermission = (container: string, action: ContainerAction) =>
  `user-containers:[user-container:${container}]:${action === "delete" || action === "open" ? action : "update"}`;

export const CREATE_PERMISSION = "user-containers:create";

/** Every permission of the gateway module, in words (the roles page). */
export const PERMISSION_WORDS = {
  "user-containers:create": "Create containers",
  "user-containers:[user-container:*]:open": "Open the apps of containers shared with the project",
  "user-containers:[user-container:*]:terminal": "Type in the terminals of containers they may open (others watch)",
  "user-containers:[user-container:*]:update": "Stop, restart and share any container, and renew its launch command",
  "user-containers:[user-container:*]:delete": "Delete any container",
} as const;

/**
 * Whether this person may open the container's apps, as the gateway's access route decides:
 * anyone with the link, any org member, a project member holding `open`, or only its owner
 * (and those whose roles grant every action).
 */
export function mayOpen(container: ContainerRecord, userId: string, grants: readonly string[] | null): boolean {
  // On the board the person is a member of the org: the gateway's own rule. While their grants
  // are unknown, nothing is disabled (the gateway decides when they open it).
  return grants === null || mayOpenContainer(container, userId, grants, true);
}

/** Whether this person types in the container's terminal, as the gateway's access route decides; others watch. */
export function mayTypeInTerminal(container: ContainerRecord, userId: string, grants: readonly string[] | null): boolean {
  return grants === null || mayTypeInContainer(container, userId, grants);
}

const DOING: Record<ContainerAction, string> = {
  delete: "delete this container",
  stop: "stop this container",
  restart: "restart this container",
  share: "change who may open this container",
  launch: "renew this container's launch command",
  open: "open this container's apps",
};

/** Why a button is disabled, when the person lacks the permission. */
export const notAllowed = (action: ContainerAction) => `Your roles in this project do not let you ${DOING[action]}.`;

/** Why Open is disabled by the share level. */
export const notShared = (container: ContainerRecord) =>
  container.share === "owner" ? "Only its owner may open it: ask them to share it with the project." : notAllowed("open");
