/** core-graph: nodes (their data belongs to the module of their kind) and typed edges. */
import type * as Y from "yjs";
import { type ModuleDefinition, type ModuleSql, type ReduceContext, EventError, collection, defineEvent } from "../kit";
import { ConnectSchema, DeleteNodesSchema, DisconnectSchema, UpdateEdgeSchema, type EdgeRecord, type NodeRecord } from "./schema";

export const CORE_GRAPH = "core-graph";

export const nodesOf = (doc: Y.Doc) => collection<NodeRecord>(doc, CORE_GRAPH, "nodes");
export const edgesOf = (doc: Y.Doc) => collection<EdgeRecord>(doc, CORE_GRAPH, "edges");

/** The node, or a not_found refusal. */
export function requireNode(doc: Y.Doc, nodeId: string): NodeRecord {
  const node = nodesOf(doc).get(nodeId);
  if (!node) throw new EventError("not_found", `There is no node ${nodeId} in this project.`);
  return node;
}

/** The id the client chose for a new node, refused if taken; or a fresh one. */
export function chooseNodeId(ctx: ReduceContext, id: string | undefined): string {
  if (id === undefined) return ctx.newId();
  if (nodesOf(ctx.doc).has(id)) throw new EventError("conflict", `A node ${id} already exists.`);
  return id;
}

/** The record of a new node, for a module creating a node of its kind. */
export function newNode(ctx: ReduceContext, kind: NodeRecord["kind"], id = ctx.newId()): NodeRecord {
  // A kind no loaded module declares would be a node no board can draw.
  if (!ctx.modules.some((m) => m.nodeKinds?.includes(kind))) throw new Error(`node kind ${kind} is declared by no loaded module (nodeKinds)`);
  return { id, kind, createdBy: ctx.actor.userId, createdAt: ctx.now };
}

/** Deletes nodes with their edges and every module's data about them (modules passed by the registry). */
export function deleteNodes(doc: Y.Doc, nodeIds: readonly string[], modules: readonly Pick<ModuleDefinition, "onNodeDeleted">[], sql?: ModuleSql): void {
  const doomed = new Set(nodeIds);
  const edges = edgesOf(doc);
  for (const [id, edge] of edges) if (doomed.has(edge.from) || doomed.has(edge.to)) edges.delete(id);
  for (const id of doomed) {
    for (const module of modules) module.onNodeDeleted?.(doc, id, sql);
    nodesOf(doc).delete(id);
  }
}

export const coreGraph = {
  name: CORE_GRAPH,
  dependencies: [],
  permissions: ["core-graph:[node:*]:update", "core-graph:delete", "core-graph:[edge:*]:delete", "core-graph:[edge:*]:update"],
  errors: { not_found: 404, conflict: 409, invalid_edge: 400 },
  events: {
    connect: defineEvent({
      schema: ConnectSchema,
      permission: (p) => `core-graph:[node:${p.from}]:update`,
      reduce: (ctx, p) => {
        requireNode(ctx.doc, p.from);
        requireNode(ctx.doc, p.to);
        if (p.from === p.to) throw new EventError("invalid_edge", "A node cannot be connected to itself.");
        for (const edge of edgesOf(ctx.doc).values()) {
          if (edge.from === p.from && edge.to === p.to && edge.kind === p.kind) throw new EventError("conflict", "These nodes are already connected this way.");
        }
        if (p.id !== undefined && edgesOf(ctx.doc).has(p.id)) throw new EventError("conflict", `An edge ${p.id} already exists.`);
        const edge: EdgeRecord = { id: p.id ?? ctx.newId(), kind: p.kind, from: p.from, to: p.to, ...(p.label ? { label: p.label } : {}), createdBy: ctx.actor.userId, createdAt: ctx.now };
        return () => edgesOf(ctx.doc).set(edge.id, edge);
      },
    }),
    "update-edge": defineEvent({
      schema: UpdateEdgeSchema,
      permission: (p) => `core-graph:[edge:${p.edgeId}]:update`,
      reduce: (ctx, p) => {
        const edge = edgesOf(ctx.doc).get(p.edgeId);
        if (!edge) throw new EventError("not_found", `There is no edge ${p.edgeId}.`);
        const kind = p.kind ?? edge.kind;
        if (kind !== edge.kind) {
          for (const other of edgesOf(ctx.doc).values()) {
            if (other.id !== edge.id && other.from === edge.from && other.to === edge.to && other.kind === kind) throw new EventError("conflict", "These nodes are already connected this way.");
          }
        }
        const { label: _old, ...rest } = edge;
        const label = p.label ?? edge.label ?? "";
        // An empty label is no label: the edge shows its kind again.
        return () => edgesOf(ctx.doc).set(edge.id, { ...rest, kind, ...(label ? { label } : {}) });
      },
    }),
    disconnect: defineEvent({
      schema: DisconnectSchema,
      permission: (p) => `core-graph:[edge:${p.edgeId}]:delete`,
      reduce: (ctx, p) => {
        if (!edgesOf(ctx.doc).has(p.edgeId)) throw new EventError("not_found", `There is no edge ${p.edgeId}.`);
        return () => edgesOf(ctx.doc).delete(p.edgeId);
      },
    }),
    "delete-nodes": defineEvent({
      schema: DeleteNodesSchema,
      permission: () => "core-graph:delete",
      reduce: (ctx, p) => {
        for (const id of p.nodeIds) requireNode(ctx.doc, id);
        return () => deleteNodes(ctx.doc, p.nodeIds, ctx.modules, ctx.sql);
      },
    }),
  },
} as const satisfies ModuleDefinition;
