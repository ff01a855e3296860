/** core-graph: the nodes of a project and the typed edges between them. */
import { z } from "zod";
import type { NodeKind } from "../registry";

export const EDGE_KINDS = ["references", "depends-on", "owned-by", "relates-to"] as const;

export const IdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "Use letters, digits, - and _ only.");

export interface NodeRecord {
  id: string;
  /** Declared by the module that creates it (`nodeKinds`); the registry gathers them. */
  kind: NodeKind;
  createdBy: string;
  createdAt: number;
}

export interface EdgeRecord {
  id: string;
  kind: (typeof EDGE_KINDS)[number];
  from: string;
  to: string;
  /** What the edge says on the board, if anything more than its kind. */
  label?: string;
  createdBy: string;
  createdAt: number;
}

/** An id the client chose for what it creates (so undo can bring a deleted item back as itself). */
export const ChosenIdSchema = IdSchema.optional();

const EdgeLabel = z.string().trim().max(200);
export const ConnectSchema = z.strictObject({ id: ChosenIdSchema, from: IdSchema, to: IdSchema, kind: z.enum(EDGE_KINDS), label: EdgeLabel.optional() });
export const UpdateEdgeSchema = z
  .strictObject({ edgeId: IdSchema, kind: z.enum(EDGE_KINDS).optional(), label: EdgeLabel.optional() })
  .refine((p) => p.kind !== undefined || p.label !== undefined, "Name the edge's new kind or label.");
export const DisconnectSchema = z.strictObject({ edgeId: IdSchema });
export const DeleteNodesSchema = z.strictObject({ nodeIds: z.array(IdSchema).min(1).max(500) });
