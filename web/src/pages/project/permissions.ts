/** The permissions a custom role may hold, as the gateway's modules declare them, in words
 * (gateway-do/test/permissions.test.ts checks that the declarations match what events check). */
import { parsePermission } from "../../../../gateway-do/src/permissions/permission";
import { modules } from "../../../../gateway-do/src/modules/registry";

const LABELS: Record<string, string> = {
  "core-graph:delete": "Delete nodes",
  "core-graph:[node:*]:update": "Connect nodes",
  "core-graph:[edge:*]:delete": "Delete connections",
  "whiteboard:create": "Create views",
  "whiteboard:delete": "Delete shapes",
  "whiteboard:[shape:*]:update": "Change shapes' text and colour",
  "whiteboard:[view:*]:update": "Change views: rename, group, lock, shapes",
  "whiteboard:[view:*]:delete": "Delete views",
  "whiteboard:[view:*]:move": "Place, move and resize on views",
  "notes:create": "Create notes",
  "notes:[note:*]:edit": "Edit any note's text",
  "chats:create": "Start chats",
  "chats:read": "Mark chats read",
  "chats:send": "Write in chats, edit and delete own messages",
  "chats:[chat:*]:send": "Write in any chat",
  "chats:[chat:*]:update": "Resolve and reopen chats",
  "tabs:open": "Open views as tabs",
  "tabs:read": "Switch between tabs",
  "tabs:update": "Rename and reorder tabs",
  "tabs:[tab:*]:update": "Rename tabs",
  "tabs:[tab:*]:delete": "Close tabs",
  "roles:manage-roles": "Manage custom roles and who holds them",
};

const MODULE_TITLES: Record<string, string> = {
  "core-graph": "Nodes and connections",
  whiteboard: "Whiteboard",
  notes: "Notes",
  chats: "Chats",
  tabs: "Tabs",
  roles: "Roles",
};

/** A permission in words; the string itself when no module names it. */
export const permissionLabel = (permission: string) => LABELS[permission] ?? permission;

export interface PermissionGroup {
  module: string;
  title: string;
  permissions: readonly string[];
}

/** Every declared permission, grouped by the module that declares it, in load order. */
export const permissionGroups: readonly PermissionGroup[] = modules
  .filter((m) => m.permissions.length > 0)
  .map((m) => ({ module: m.name, title: MODULE_TITLES[m.name] ?? m.name, permissions: m.permissions }));

/** Whether `text` is a permission string the gateway accepts (`module:[type:id]:action`). */
export const isPermission = (text: string) => parsePermission(text) !== null;
