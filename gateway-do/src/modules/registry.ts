/**
 * The one registry of gateway modules, loaded in dependency order. The gateway looks events
 * and editable texts up here; web/ registers its views for the same modules.
 */
import { chats } from "./chats";
import { coreGraph } from "./core-graph";
import type { EditableText, EventSpec, ModuleDefinition } from "./kit";
import { images } from "./images";
import { jupyter } from "./jupyter";
import { notes } from "./notes";
import { oidc } from "./oidc";
import { roles } from "./roles";
import { tabs } from "./tabs";
import { userContainers } from "./user-containers";
import { whiteboard } from "./whiteboard";

/** Orders modules so each comes after its dependencies; throws on a missing one or a cycle. */
export function sortByDependencies(modules: readonly ModuleDefinition[]): ModuleDefinition[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const sorted: ModuleDefinition[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (m: ModuleDefinition, chain: string[]) => {
    if (state.get(m.name) === "done") return;
    if (state.get(m.name) === "visiting") throw new Error(`module dependency cycle: ${[...chain, m.name].join(" → ")}`);
    state.set(m.name, "visiting");
    for (const dep of m.dependencies) {
      const d = byName.get(dep);
      if (!d) throw new Error(`module ${m.name} needs ${dep}, which is not loaded`);
      visit(d, [...chain, m.name]);
    }
    state.set(m.name, "done");
    sorted.push(m);
  };
  for (const m of modules) visit(m, []);
  return sorted;
}

/** The registered modules by name, one line each. web/src/modules/registry.ts is typed over these names. */
const registered = { "core-graph": coreGraph, whiteboard, notes, chats, tabs, roles, "user-containers": userContainers, oidc, jupyter, images } satisfies Record<string, ModuleDefinition>;

/** A registered module's name: a web registry missing one, or naming another, fails the typecheck. */
export type ModuleName = keyof typeof registered;

type KindsOf<M> = M extends { nodeKinds: readonly (infer K)[] } ? K : never;
/** Every node kind, as the modules declare them (core-graph keeps no list). */
export type NodeKind = { [N in ModuleName]: KindsOf<(typeof registered)[N]> }[ModuleName];
type TabKindsOf<M> = M extends { tabKinds: readonly (infer K)[] } ? K : never;
/** Every tab kind, as the modules declare them (the tabs module keeps no list). */
export type TabKind = { [N in ModuleName]: TabKindsOf<(typeof registered)[N]> }[ModuleName];

for (const [name, m] of Object.entries(registered)) if (m.name !== name) throw new Error(`module ${m.name} is registered as ${name}`);

export const modules = sortByDependencies(Object.values(registered));

/** Every node kind, at run time; a kind two modules declare is a mistake caught at load. */
export const NODE_KINDS: readonly NodeKind[] = modules.flatMap((m) => (m.nodeKinds ?? []) as readonly NodeKind[]);
if (new Set(NODE_KINDS).size !== NODE_KINDS.length) throw new Error(`a node kind is declared by two modules: ${NODE_KINDS.join(", ")}`);

/** Every tab kind, at run time; one declared twice is a mistake caught at load. */
export const TAB_KINDS: readonly TabKind[] = modules.flatMap((m) => (m.tabKinds ?? []) as readonly TabKind[]);
if (new Set(TAB_KINDS).size !== TAB_KINDS.length) throw new Error(`a tab kind is declared by two modules: ${TAB_KINDS.join(", ")}`);

/** Every event type, `{module}:{action}`, to its spec. */
export const eventSpecs: ReadonlyMap<string, EventSpec> = new Map(
  modules.flatMap((m) => Object.entries(m.events).map(([action, spec]) => [`${m.name}:${action}`, spec] as const)),
);

export const editableTexts: readonly EditableText[] = modules.flatMap((m) => m.editableTexts ?? []);
