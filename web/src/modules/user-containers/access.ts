/**
 * What this person may do here, worked out as the gateway does (grantsFor, isAllowed, the
 * project's custom roles from the doc), so buttons they may not use are disabled with the
 * reason instead of failing. The gateway still decides: until the roles are known (or on a
 * board with no project behind it) everything is offered and a refusal is shown as a toast.
 */
import { useCallback, useEffect, useMemo } from "react";
import type { OrgRole, ProjectRole, ProjectVisibility } from "../../../../protocol/enums";
import { customGrants } from "../../../../gateway-do/src/modules/roles";
import { grantsFor, isAllowed } from "../../../../gateway-do/src/client";
import { getOrg, getProject } from "../../api/orgs";
import { DocView, UiSlot } from "../../board/module-state";
import type { BoardStore } from "../../board/store";
import { useBoard, useBoardStore } from "../../board/store-context";

/** This person's roles in the org and the project, and who sees the project. */
export interface Access {
  orgRole: OrgRole;
  projectRole: ProjectRole | null;
  visibility: ProjectVisibility;
}

const ACCESS = new UiSlot<Access | null>(null);
const asked = new WeakSet<BoardStore>();

/** Sets the roles a board's person holds (what loadAccess fetched; tests). */
export const setAccess = (store: BoardStore, access: Access) => store.setUi(ACCESS, access);

/** Fetches this person's roles for the board's project, once per board. */
export function loadAccess(store: BoardStore): void {
  if (!store.place || asked.has(store)) return;
  asked.add(store);
  const { org, project } = store.place;
  void Promise.all([getOrg(org), getProject(org, project)]).then(
    ([o, p]) => setAccess(store, { orgRole: o.role, projectRole: p.role, visibility: p.visibility }),
    // Unknown roles: everything stays offered and the gateway answers.
    () => undefined,
  );
}

/** The permissions of the custom roles this person holds in the project (the doc's), the same object until the doc changes. */
const CUSTOM = new DocView((doc, me) => customGrants(doc, me.userId));

/** The permission strings a person holds, or null while their roles are unknown. */
export function grantsOf(userId: string, access: Access | null, custom: { grants: string[]; hasCustomRoles: boolean }): string[] | null {
  if (!access) return null;
  return grantsFor({ userId, orgRole: access.orgRole, projectRole: access.projectRole, customGrants: custom.grants, hasCustomRoles: custom.hasCustomRoles }, access.visibility);
}

/** Whether `grants` allow `permission`; true while the grants are unknown (the gateway decides). */
export const allows = (grants: readonly string[] | null, permission: string) => grants === null || isAllowed(grants, permission);

/** This person's permission strings on this board (null while unknown), following their roles and the project's custom roles live. */
export function useGrants(): readonly string[] | null {
  const store = useBoardStore();
  useEffect(() => loadAccess(store), [store]);
  const access = useBoard(() => store.ui(ACCESS));
  const custom = useBoard(() => store.fromDoc(CUSTOM));
  return useMemo(() => grantsOf(store.me.userId, access, custom), [store, access, custom]);
}

/** A checker for this person's permissions on this board. */
export function useCan(): (permission: string) => boolean {
  const grants = useGrants();
  return useCallback((permission: string) => allows(grants, permission), [grants]);
}
