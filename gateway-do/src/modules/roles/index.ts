/** roles: custom roles of a project (sets of permissions) and who holds them; admins only. */
import { z } from "zod";
import type * as Y from "yjs";
import { parsePermission } from "../../permissions/permission";
import { IdSchema } from "../core-graph/schema";
import { type ModuleDefinition, EventError, checkedRecord, collection, defineEvent } from "../kit";

export interface RoleRecord {
  id: string;
  name: string;
  permissions: string[];
}

export const rolesOf = (doc: Y.Doc) => collection<RoleRecord>(doc, "roles", "roles");
/** Role ids held, by user id. */
export const assignmentsOf = (doc: Y.Doc) => collection<string[]>(doc, "roles", "assignments");

const RoleRecordSchema = z.object({ id: z.string(), name: z.string(), permissions: z.array(z.string()) });
const AssignmentSchema = z.array(z.string());

/** A role as stored, if it is one (a bad record reads as no role). */
export function readRole(doc: Y.Doc, roleId: string): RoleRecord | undefined {
  return checkedRecord(RoleRecordSchema, rolesOf(doc).get(roleId), "role", roleId);
}

/** The role ids a user holds, if the stored assignment is a list of them (a bad record reads as none). */
export function readAssignment(doc: Y.Doc, userId: string): string[] | undefined {
  return checkedRecord(AssignmentSchema, assignmentsOf(doc).get(userId), "role assignment", userId);
}

const Permissions = z
  .array(z.string().max(200).refine((p) => parsePermission(p) !== null, { message: "Not a permission: use module:[type:id]:action." }))
  .max(100);
const Name = z.string().trim().min(1).max(60);
const MANAGE = "roles:manage-roles";

function requireRole(doc: Y.Doc, roleId: string): RoleRecord {
  const role = readRole(doc, roleId);
  if (!role) throw new EventError("not_found", `There is no role ${roleId}.`);
  return role;
}

/** The permissions of the custom roles a user holds, and whether they hold any. */
export function customGrants(doc: Y.Doc, userId: string): { grants: string[]; hasCustomRoles: boolean } {
  const stored = assignmentsOf(doc).get(userId);
  const held = readAssignment(doc, userId);
  // A bad assignment still means someone meant to restrict this member: they hold custom roles, granting nothing.
  if (!held) return { grants: [], hasCustomRoles: stored !== undefined };
  return { grants: held.flatMap((id) => readRole(doc, id)?.permissions ?? []), hasCustomRoles: held.length > 0 };
}

export const roles = {
  name: "roles",
  dependencies: [],
  permissions: [MANAGE],
  errors: { not_found: 404, conflict: 409 },
  // People who left the organization keep no custom roles in its projects.
  periodic: ({ doc, members }) => {
    const gone = [...assignmentsOf(doc).keys()].filter((userId) => !members.has(userId));
    return gone.length > 0 ? () => gone.forEach((userId) => assignmentsOf(doc).delete(userId)) : null;
  },
  events: {
    "create-role": defineEvent({
      schema: z.strictObject({ name: Name, permissions: Permissions }),
      permission: () => MANAGE,
      reduce: (ctx, p) => {
        if ([...rolesOf(ctx.doc).values()].some((r) => r.name === p.name)) throw new EventError("conflict", `A role named "${p.name}" exists.`);
        const role: RoleRecord = { id: ctx.newId(), name: p.name, permissions: p.permissions };
        // The new role's id, for the sender to assign it (an API caller has no doc to find it in).
        return { change: () => rolesOf(ctx.doc).set(role.id, role), result: { roleId: role.id } };
      },
    }),
    "update-role": defineEvent({
      schema: z.strictObject({ roleId: IdSchema, name: Name.optional(), permissions: Permissions.optional() }),
      permission: () => MANAGE,
      reduce: (ctx, p) => {
        const role = requireRole(ctx.doc, p.roleId);
        return () => rolesOf(ctx.doc).set(role.id, { ...role, name: p.name ?? role.name, permissions: p.permissions ?? role.permissions });
      },
    }),
    "delete-role": defineEvent({
      schema: z.strictObject({ roleId: IdSchema }),
      permission: () => MANAGE,
      reduce: (ctx, p) => {
        requireRole(ctx.doc, p.roleId);
        return () => {
          rolesOf(ctx.doc).delete(p.roleId);
          for (const user of assignmentsOf(ctx.doc).keys()) {
            const held = readAssignment(ctx.doc, user);
            if (held?.includes(p.roleId)) assignmentsOf(ctx.doc).set(user, held.filter((id) => id !== p.roleId));
          }
        };
      },
    }),
    assign: defineEvent({
      schema: z.strictObject({ userId: z.string().min(1).max(64), roleIds: z.array(IdSchema).max(20) }),
      permission: () => MANAGE,
      reduce: (ctx, p) => {
        for (const id of p.roleIds) requireRole(ctx.doc, id);
        return () => (p.roleIds.length ? assignmentsOf(ctx.doc).set(p.userId, [...new Set(p.roleIds)]) : assignmentsOf(ctx.doc).delete(p.userId));
      },
    }),
  },
} as const satisfies ModuleDefinition;
