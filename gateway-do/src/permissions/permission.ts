/**
 * Permissions are strings `{module}:[{type}:{id}]:{action}`, e.g.
 * `notes:[note:4f2c…]:edit`; the bracketed resource is optional (`chats:send`).
 * A granted permission may use `*` for any one part (`notes:[note:*]:*`), and one without
 * a resource covers every resource of its module and action. Matching is pure.
 */

export interface Permission {
  module: string;
  type: string | null;
  id: string | null;
  action: string;
}

const PATTERN = /^([a-z0-9*][a-z0-9-]*|\*):(?:\[([a-z0-9*][a-z0-9-]*|\*):([A-Za-z0-9_*-]+)\]:)?([a-z0-9*][a-z0-9-]*|\*)$/;

/** Parses a permission string; null if it is not one. */
export function parsePermission(text: string): Permission | null {
  const m = PATTERN.exec(text);
  if (!m) return null;
  return { module: m[1]!, type: m[2] ?? null, id: m[3] ?? null, action: m[4]! };
}

/** Formats a permission for a resource: `permission("notes", "edit", ["note", id])`. */
export function permission(module: string, action: string, resource?: [type: string, id: string]): string {
  return resource ? `${module}:[${resource[0]}:${resource[1]}]:${action}` : `${module}:${action}`;
}

const part = (granted: string | null, wanted: string | null) => granted === "*" || granted === wanted;

/** True when the granted permission covers the wanted one. */
export function covers(granted: Permission, wanted: Permission): boolean {
  if (!part(granted.module, wanted.module) || !part(granted.action, wanted.action)) return false;
  if (granted.type === null) return true; // no resource: every resource of module and action
  return part(granted.type, wanted.type) && part(granted.id, wanted.id);
}

/** True when any of the granted permission strings covers `wanted`. Unparseable grants count for nothing. */
export function isAllowed(granted: Iterable<string>, wanted: string): boolean {
  const target = parsePermission(wanted);
  if (!target) throw new Error(`not a permission: ${wanted}`);
  for (const g of granted) {
    const parsed = parsePermission(g);
    if (parsed && covers(parsed, target)) return true;
  }
  return false;
}
