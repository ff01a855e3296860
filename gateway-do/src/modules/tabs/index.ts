/**
 * tabs: each person's open tabs (a view, later a container app), in their order, and each
 * person's active tab. A tab is one person's: opening, closing or reordering one never changes
 * anyone else's tab bar. The views themselves are shared (whiteboard); a view without a tab
 * of one's own is listed to open. A new project starts with its first view as a tab (a
 * "starting tab", owned by nobody): each person sees the starting tabs until they first
 * change their tab bar, which then becomes their own copy.
 */
import { z } from "zod";
import type * as Y from "yjs";
import { IdSchema } from "../core-graph/schema";
import { type ModuleDefinition, type ReduceContext, EventError, collection, defineEvent } from "../kit";
import type { TabKind } from "../registry";
import { viewsOf } from "../whiteboard/placements";

export interface TabRecord {
  id: string;
  /** Declared by the module showing it (`tabKinds`): whiteboard's "view", user-containers' "app". */
  kind: TabKind;
  /** What the tab shows, as its kind reads it: the view id, or the app's container/service. */
  target: string;
  title: string;
  order: number;
  /** The person whose tab it is; none for a starting tab (seeded, or from before tabs were each person's). */
  owner?: string;
}

export const tabsOf = (doc: Y.Doc) => collection<TabRecord>(doc, "tabs", "tabs");
/** Active tab per user id. */
export const activeTabsOf = (doc: Y.Doc) => collection<string>(doc, "tabs", "active");
/** The people whose tab bar is their own (they changed it once), by user id. */
export const ownTabBarsOf = (doc: Y.Doc) => collection<true>(doc, "tabs", "own");

const byOrder = (a: TabRecord, b: TabRecord) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The tabs `userId` sees, in order: their own, or the starting tabs until they have changed theirs. */
export function tabsFor(doc: Y.Doc, userId: string): TabRecord[] {
  const own = ownTabBarsOf(doc).has(userId);
  return [...tabsOf(doc).values()].filter((t) => (own ? t.owner === userId : t.owner === undefined)).sort(byOrder);
}

/**
 * Makes the actor's tab bar their own before it changes: a copy of the starting tabs they
 * saw, under new ids. Returns the id of the actor's tab for each id they saw.
 */
function ownTabBar(ctx: ReduceContext): Map<string, string> {
  const seen = tabsFor(ctx.doc, ctx.actor.userId);
  if (ownTabBarsOf(ctx.doc).has(ctx.actor.userId)) return new Map(seen.map((t) => [t.id, t.id]));
  return new Map(seen.map((t) => [t.id, ctx.newId()]));
}

/** Writes the actor's own copy (see ownTabBar), keeping their active tab on its copy. */
function writeOwnTabBar(ctx: ReduceContext, ids: Map<string, string>): void {
  const user = ctx.actor.userId;
  if (ownTabBarsOf(ctx.doc).has(user)) return;
  for (const tab of tabsFor(ctx.doc, user)) tabsOf(ctx.doc).set(ids.get(tab.id)!, { ...tab, id: ids.get(tab.id)!, owner: user });
  const active = activeTabsOf(ctx.doc).get(user);
  if (active && ids.has(active)) activeTabsOf(ctx.doc).set(user, ids.get(active)!);
  ownTabBarsOf(ctx.doc).set(user, true);
}

/** The actor's tab for an id they see; anyone else's tab is not there for them. */
function requireTab(ctx: ReduceContext, ids: Map<string, string>, tabId: string): string {
  const own = ids.get(tabId);
  if (!own) throw new EventError("not_found", `There is no tab ${tabId} in your tab bar.`);
  return own;
}

const Title = z.string().trim().min(1).max(100);

export const tabs = {
  name: "tabs",
  dependencies: ["whiteboard"],
  // Each acts on the actor's own tabs only: `tabs:read` switches their active tab, `tabs:update` reorders them.
  permissions: ["tabs:open", "tabs:read", "tabs:update", "tabs:[tab:*]:update", "tabs:[tab:*]:delete"],
  errors: { not_found: 404, invalid_order: 400, unknown_tab_kind: 400 },
  // A new project opens on its first view (seeded by whiteboard), as a tab.
  seed(doc) {
    for (const view of viewsOf(doc).values()) {
      // A starting tab: owned by nobody, each person's until they change their tab bar.
      const tab: TabRecord = { id: `tab-${view.id}`, kind: "view", target: view.id, title: view.name, order: tabsOf(doc).size };
      tabsOf(doc).set(tab.id, tab);
    }
  },
  events: {
    open: defineEvent({
      schema: z.strictObject({ kind: z.string().min(1).max(40), target: z.string().min(1).max(200), title: Title }),
      permission: () => "tabs:open",
      reduce: (ctx, p) => {
        if (!ctx.modules.some((m) => m.tabKinds?.includes(p.kind))) {
          throw new EventError("unknown_tab_kind", `No module shows tabs of kind "${p.kind}": use one of ${ctx.modules.flatMap((m) => m.tabKinds ?? []).join(", ")}.`);
        }
        const ids = ownTabBar(ctx);
        const order = Math.max(0, ...tabsFor(ctx.doc, ctx.actor.userId).map((t) => t.order + 1));
        const tab: TabRecord = { id: ctx.newId(), ...p, kind: p.kind as TabKind, order, owner: ctx.actor.userId };
        return () => {
          writeOwnTabBar(ctx, ids);
          tabsOf(ctx.doc).set(tab.id, tab);
          activeTabsOf(ctx.doc).set(ctx.actor.userId, tab.id);
        };
      },
    }),
    rename: defineEvent({
      schema: z.strictObject({ tabId: IdSchema, title: Title }),
      permission: (p) => `tabs:[tab:${p.tabId}]:update`,
      reduce: (ctx, p) => {
        const ids = ownTabBar(ctx);
        const id = requireTab(ctx, ids, p.tabId);
        return () => {
          writeOwnTabBar(ctx, ids);
          tabsOf(ctx.doc).set(id, { ...tabsOf(ctx.doc).get(id)!, title: p.title });
        };
      },
    }),
    close: defineEvent({
      schema: z.strictObject({ tabId: IdSchema }),
      permission: (p) => `tabs:[tab:${p.tabId}]:delete`,
      reduce: (ctx, p) => {
        const ids = ownTabBar(ctx);
        const id = requireTab(ctx, ids, p.tabId);
        return () => {
          writeOwnTabBar(ctx, ids);
          tabsOf(ctx.doc).delete(id);
          if (activeTabsOf(ctx.doc).get(ctx.actor.userId) === id) activeTabsOf(ctx.doc).delete(ctx.actor.userId);
        };
      },
    }),
    reorder: defineEvent({
      schema: z.strictObject({ tabIds: z.array(IdSchema).min(1).max(200) }),
      permission: () => "tabs:update",
      reduce: (ctx, p) => {
        const ids = ownTabBar(ctx);
        if ([...p.tabIds].sort().join() !== [...ids.keys()].sort().join()) throw new EventError("invalid_order", "Give every tab of your tab bar exactly once.");
        return () => {
          writeOwnTabBar(ctx, ids);
          p.tabIds.forEach((seen, order) => {
            const id = ids.get(seen)!;
            tabsOf(ctx.doc).set(id, { ...tabsOf(ctx.doc).get(id)!, order });
          });
        };
      },
    }),
    activate: defineEvent({
      schema: z.strictObject({ tabId: IdSchema }),
      permission: () => "tabs:read",
      reduce: (ctx, p) => {
        // Switching tabs changes nothing in the tab bar: it stays the starting one if it was.
        if (!tabsFor(ctx.doc, ctx.actor.userId).some((t) => t.id === p.tabId)) throw new EventError("not_found", `There is no tab ${p.tabId} in your tab bar.`);
        return () => activeTabsOf(ctx.doc).set(ctx.actor.userId, p.tabId);
      },
    }),
  },
} as const satisfies ModuleDefinition;
