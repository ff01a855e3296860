/**
 * The board's views of every module's node kinds and shapes. Typed so that a node kind or
 * shape kind a module declares without a view here fails the typecheck.
 */
import type { NodeProps, NodeTypes } from "@xyflow/react";
import type { ComponentType } from "react";
import type { GraphFlowNode, NodeKind, ShapeFlowNode, ShapeKind } from "./flow-model";
import { ChatNode } from "./nodes/ChatNode";
import { GroupNode } from "./nodes/GroupNode";
import { NoteNode } from "./nodes/NoteNode";
import { ArrowShape, EllipseShape, RectangleShape, TextShape } from "./nodes/ShapeNodes";

export const nodeViews = { note: NoteNode, chat: ChatNode, group: GroupNode } satisfies { [K in NodeKind]: ComponentType<NodeProps<GraphFlowNode<K>>> };

export const shapeViews = { rectangle: RectangleShape, ellipse: EllipseShape, arrow: ArrowShape, text: TextShape } satisfies {
  [K in ShapeKind]: ComponentType<NodeProps<ShapeFlowNode<K>>>;
};

/** For <ReactFlow nodeTypes>, at module scope so xyflow never sees a new object. */
export const nodeTypes = { ...nodeViews, ...shapeViews } as NodeTypes;
