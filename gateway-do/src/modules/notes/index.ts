/** notes: a note node whose body is collaborative markdown that permitted clients edit directly. */
import { z } from "zod";
import * as Y from "yjs";
import { chooseNodeId, newNode, nodesOf } from "../core-graph";
import { ChosenIdSchema } from "../core-graph/schema";
import { type ModuleDefinition, collection, defineEvent } from "../kit";
import { PlaceOnView, checkPlace, placeAsAsked } from "../whiteboard/place";
import { DEFAULT_SIZE } from "../whiteboard/placements";

export const NOTES = "notes";
/** Root map of note bodies, by node id: the editable texts of this module. */
export const BODIES = `${NOTES}/bodies`;

export const bodiesOf = (doc: Y.Doc) => collection<Y.Text>(doc, NOTES, "bodies");

export const CreateNoteSchema = z.strictObject({
  /** The new note's id, if the client chose it (refused with `conflict` when taken). */
  id: ChosenIdSchema,
  /** Where to put the note, if on a view. */
  ...PlaceOnView,
  text: z.string().max(100_000).default(""),
});

export const notes = {
  name: NOTES,
  nodeKinds: ["note"] as const,
  dependencies: ["core-graph", "whiteboard"],
  permissions: ["notes:create", "notes:[note:*]:edit"],
  errors: {},
  editableTexts: [{ path: [BODIES, "*"], permission: (path) => `notes:[note:${path[1]}]:edit` }],
  onNodeDeleted(doc, nodeId) {
    bodiesOf(doc).delete(nodeId);
  },
  events: {
    create: defineEvent({
      schema: CreateNoteSchema,
      permission: () => "notes:create",
      reduce: (ctx, p) => {
        checkPlace(ctx.doc, p);
        const node = newNode(ctx, "note", chooseNodeId(ctx, p.id));
        return () => {
          nodesOf(ctx.doc).set(node.id, node);
          bodiesOf(ctx.doc).set(node.id, new Y.Text(p.text));
          placeAsAsked(ctx.doc, node.id, p, DEFAULT_SIZE);
        };
      },
    }),
  },
} as const satisfies ModuleDefinition;
