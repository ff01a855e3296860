/** The tab bar's view of the `tabs` module: pure functions of the project doc. Each tab kind is shown by the module owning it (web/src/modules/). */
import type { ComponentType } from "react";
import type * as Y from "yjs";
import type { GatewayEvent } from "../gateway/messages";
import { type TabRecord, activeTabsOf, tabsFor } from "../../../gateway-do/src/modules/tabs";
import { tabKindOf, tabKinds } from "../modules/registry";

export interface OpenTab {
  id: string;
  /** The view's name: renaming a view tab renames the view (one event, one name to keep). */
  title: string;
  /** The view the tab shows; null for a tab showing a module's content (a container's app). */
  viewId: string | null;
  /** What a content tab shows, drawn over the board with the tab's target. */
  content: ComponentType<{ target: string }> | null;
  target: string;
  /** Renaming it: the events its kind sends. */
  rename: (name: string) => GatewayEvent[];
}

export interface TabsState {
  /** This person's open tabs of views that still exist, left to right. */
  tabs: OpenTab[];
  /** This person's active tab, as stored; null when none is (or it was closed). */
  activeTabId: string | null;
  /** Views (shared by everyone) without a tab of this person's, to open, with the tab kind showing them. */
  closedViews: { id: string; name: string; kind: TabRecord["kind"] }[];
}

/** This user's open view tabs, their active tab and the views they have no tab for. */
export function readTabs(doc: Y.Doc, userId: string): TabsState {
  const all = tabsFor(doc, userId);
  const tabs = all.flatMap((t): OpenTab[] => {
    const kind = tabKindOf(t.kind);
    const shown = kind?.resolve(doc, t);
    if (!kind || !shown) return [];
    const content = shown.viewId === null ? shown.content : null;
    return [{ id: t.id, title: shown.title, viewId: shown.viewId, content, target: t.target, rename: (name) => kind.rename({ id: t.id, viewId: shown.viewId }, name) }];
  });
  const active = activeTabsOf(doc).get(userId) ?? null;
  const closedViews = tabKinds().flatMap(([kind, view]) => {
    const open = new Set(tabs.flatMap((t) => (t.viewId === null ? [] : [t.viewId])));
    return (view.openable?.(doc, open) ?? []).map((t) => ({ id: t.target, name: t.title, kind }));
  });
  return { tabs, activeTabId: tabs.some((t) => t.id === active) ? active : null, closedViews };
}

/**
 * The full order for `tabs:reorder` (which wants every tab of this person's) after `tabId`
 * moves by `delta` places among the shown tabs; tabs not shown here keep their place after
 * them. Null when it cannot move.
 */
export function reorderedIds(doc: Y.Doc, userId: string, shown: readonly OpenTab[], tabId: string, delta: number): string[] | null {
  const moved = moveId(shown.map((t) => t.id), tabId, delta);
  if (!moved) return null;
  const rest = tabsFor(doc, userId).map((t) => t.id).filter((id) => !moved.includes(id));
  return [...moved, ...rest];
}

/** `ids` with `id` moved by `delta` places; null when it is not there or would leave the list. */
export function moveId(ids: readonly string[], id: string, delta: number): string[] | null {
  const from = ids.indexOf(id);
  const to = from + delta;
  if (from < 0 || delta === 0 || to < 0 || to >= ids.length) return null;
  const next = ids.filter((x) => x !== id);
  next.splice(to, 0, id);
  return next;
}

/** The tab to show after `closing` closes: the one to its right, else to its left. */
export function neighbourOf<T extends { id: string }>(tabs: readonly T[], closing: string): T | null {
  const i = tabs.findIndex((t) => t.id === closing);
  if (i < 0) return null;
  return tabs[i + 1] ?? tabs[i - 1] ?? null;
}
