/** tabs: the project's open tabs (a view, later a container app) and each user's active tab. */
import { z } from "zod";
import type * as Y from "yjs";
import { IdSchema } from "../core-graph/schema";
import { type ModuleDefinition, EventError, collection, defineEvent } from "../kit";
import { viewsOf } from "../whiteboard/placements";

export interface TabRecord {
  id: string;
  kind: "view" | "app";
  /** The view id, or the app's container/service. */
  target: string;
  title: string;
  order: number;
}

export const tabsOf = (doc: Y.Doc) => collection<TabRecord>(doc, "tabs", "tabs");
/** Active tab per user id. */
export const activeTabsOf = (doc: Y.Doc) => collection<string>(doc, "tabs", "active");

function requireTab(doc: Y.Doc, tabId: string): TabRecord {
  const tab = tabsOf(doc).get(tabId);
  if (!tab) throw new EventError("not_found", `There is no tab ${tabId}.`);
  return tab;
}

const Title = z.string().trim().min(1).max(100);

export const tabs: ModuleDefinition = {
  name: "tabs",
  dependencies: ["whiteboard"],
  collections: ["tabs", "active"],
  // `tabs:read` switches one's own active tab; `tabs:update` renames any tab and reorders them.
  permissions: ["tabs:open", "tabs:read", "tabs:update", "tabs:[tab:*]:update", "tabs:[tab:*]:delete"],
  // A new project opens on its first view (seeded by whiteboard), as a tab.
  seed(doc) {
    for (const view of viewsOf(doc).values()) {
      const tab: TabRecord = { id: `tab-${view.id}`, kind: "view", target: view.id, title: view.name, order: tabsOf(doc).size };
      tabsOf(doc).set(tab.id, tab);
    }
  },
  events: {
    open: defineEvent({
      schema: z.strictObject({ kind: z.enum(["view", "app"]), target: z.string().min(1).max(200), title: Title }),
      permission: () => "tabs:open",
      reduce: (ctx, p) => {
        const order = Math.max(0, ...[...tabsOf(ctx.doc).values()].map((t) => t.order + 1));
        const tab: TabRecord = { id: ctx.newId(), ...p, order };
        return () => {
          tabsOf(ctx.doc).set(tab.id, tab);
          activeTabsOf(ctx.doc).set(ctx.actor.userId, tab.id);
        };
      },
    }),
    rename: defineEvent({
      schema: z.strictObject({ tabId: IdSchema, title: Title }),
      permission: (p) => `tabs:[tab:${p.tabId}]:update`,
      reduce: (ctx, p) => {
        const tab = requireTab(ctx.doc, p.tabId);
        return () => tabsOf(ctx.doc).set(tab.id, { ...tab, title: p.title });
      },
    }),
    close: defineEvent({
      schema: z.strictObject({ tabId: IdSchema }),
      permission: (p) => `tabs:[tab:${p.tabId}]:delete`,
      reduce: (ctx, p) => {
        requireTab(ctx.doc, p.tabId);
        return () => {
          tabsOf(ctx.doc).delete(p.tabId);
          for (const [user, tabId] of activeTabsOf(ctx.doc)) if (tabId === p.tabId) activeTabsOf(ctx.doc).delete(user);
        };
      },
    }),
    reorder: defineEvent({
      schema: z.strictObject({ tabIds: z.array(IdSchema).min(1).max(200) }),
      permission: () => "tabs:update",
      reduce: (ctx, p) => {
        const all = [...tabsOf(ctx.doc).keys()].sort();
        if ([...p.tabIds].sort().join() !== all.join()) throw new EventError("invalid_order", "Give every open tab exactly once.");
        return () => p.tabIds.forEach((id, order) => tabsOf(ctx.doc).set(id, { ...tabsOf(ctx.doc).get(id)!, order }));
      },
    }),
    activate: defineEvent({
      schema: z.strictObject({ tabId: IdSchema }),
      permission: () => "tabs:read",
      reduce: (ctx, p) => {
        requireTab(ctx.doc, p.tabId);
        return () => activeTabsOf(ctx.doc).set(ctx.actor.userId, p.tabId);
      },
    }),
  },
};
