/** The permissions a custom role may hold, as the gateway's modules declare them, in the words
 * each module's web side gives (web/src/modules/; gateway-do/test/permissions.test.ts checks
 * that the declarations match what events check). */
import { parsePermission } from "../../../../gateway-do/src/client";
import { modules } from "../../../../gateway-do/src/modules/registry";
import { permissionLabelOf, webModuleOf } from "../../modules/registry";

/** A permission in words; the string itself when no module names it. */
export const permissionLabel = (permission: string) => permissionLabelOf(permission) ?? permission;

export interface PermissionGroup {
  module: string;
  title: string;
  permissions: readonly string[];
}

/** Every declared permission, grouped by the module that declares it, in load order. */
export const permissionGroups: readonly PermissionGroup[] = modules
  .filter((m) => m.permissions.length > 0)
  .map((m) => ({ module: m.name, title: webModuleOf(m.name)?.title ?? m.name, permissions: m.permissions }));

/** Whether `text` is a permission string the gateway accepts (`module:[type:id]:action`). */
export const isPermission = (text: string) => parsePermission(text) !== null;
