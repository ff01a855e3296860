/**
 * notes on the web: the note node (its markdown body edited in place), the Note tool (and
 * N), copy and paste with its text, and undo of a delete bringing it back on every view.
 */
import { bodiesOf } from "../../../../gateway-do/src/modules/notes";
import { DEFAULT_SIZE, absolutePosition, placementKey, placementsOf, viewsOf } from "../../../../gateway-do/src/modules/whiteboard/placements";
import type { GatewayEvent } from "../../gateway/messages";
import { openChatFor } from "../chats/open-chat";
import { type Box, type WebModule, defineNodeView } from "../kit";
import { createNotesCommand } from "./commands";
import { NoteNode, firstLine } from "./NoteNode";

type CopiedNote = Box & { text: string };
/** Text pasted from outside the board, as a note, is cut here (the gateway's limit is higher; a note is not a document). */
const MAX_PASTED = 20_000;
/** A deleted note: where it was on this view, its text, and where else it sat. */
interface SavedNote extends Box {
  text: string;
  elsewhere: (Box & { viewId: string })[];
}

const note = defineNodeView({
  component: NoteNode,
  data: (base) => base,
  dragHandle: ".node-handle",
  minimap: { small: "#fde68a", big: "#facc15" },
  // Zoomed far out, as its far form is drawn (board.css: .board-note, .note-far): its first line.
  far: {
    outline: "box",
    radius: 10,
    fill: "#fef9c3",
    stroke: "#eab308",
    strokeWidth: 1,
    text: { line: (node, doc) => firstLine(bodiesOf(doc).get(node.id)?.toString() ?? ""), ink: "#1c1917", size: 25.6, weight: 600, at: "top" },
  },
  // Its fill is the note's colour.
  styles: ["fill", "stroke", "strokeWidth", "strokeStyle", "fontSize"],
  menu: [{ label: "Chat about this note", place: "top", run: ({ store, nodeId }) => openChatFor(store, nodeId) }],
  clipboard: {
    copy: (doc, viewId, nodeId): CopiedNote | null => {
      const placement = placementsOf(doc).get(placementKey(viewId, nodeId));
      if (!placement) return null;
      return { ...absolutePosition(doc, placement), width: placement.width, height: placement.height, text: bodiesOf(doc).get(nodeId)?.toString() ?? "" };
    },
    paste: (store, viewId, items: CopiedNote[]) => createNotesCommand(store, viewId, items),
  },
  restore: {
    save: (doc, viewId, nodeId): SavedNote | null => {
      const placement = placementsOf(doc).get(placementKey(viewId, nodeId));
      if (!placement) return null;
      const elsewhere = [...placementsOf(doc).values()]
        .filter((p) => p.nodeId === nodeId && p.viewId !== viewId)
        .map((p) => ({ viewId: p.viewId, ...absolutePosition(doc, p), width: p.width, height: p.height }));
      return { ...absolutePosition(doc, placement), width: placement.width, height: placement.height, text: bodiesOf(doc).get(nodeId)?.toString() ?? "", elsewhere };
    },
    restore: (doc, viewId, nodeId, n: SavedNote): GatewayEvent[] => [
      { type: "notes:create", id: nodeId, viewId, x: n.x, y: n.y, width: n.width, height: n.height, text: n.text },
      ...n.elsewhere.filter((p) => viewsOf(doc).has(p.viewId)).map((p) => ({ type: "whiteboard:place" as const, nodeId, ...p })),
    ],
  },
});

export const notes = {
  title: "Notes",
  memberWork: "notes",
  // Every note on the view, by its text.
  search: (doc, viewId) =>
    [...placementsOf(doc).values()].flatMap((p) => {
      const body = p.viewId === viewId ? bodiesOf(doc).get(p.nodeId) : undefined;
      return body ? [{ id: p.nodeId, kind: "Note", text: body.toString() }] : [];
    }),
  permissions: {
    "notes:create": "Create notes",
    "notes:[note:*]:edit": "Edit any note's text",
  },
  nodes: { note },
  tools: [
    {
      section: "create",
      icon: "note",
      label: "Note",
      title: "New note (N)",
      menuLabel: "New note here",
      key: "n",
      size: DEFAULT_SIZE,
      edit: true,
      onDoubleClick: true,
      run: async (store, viewId, at) => {
        const command = createNotesCommand(store, viewId, [at]);
        return (await store.run(command)) ? command.ids : [];
      },
      fromText: async (store, viewId, at, text) => {
        const command = createNotesCommand(store, viewId, [{ ...at, text: text.slice(0, MAX_PASTED) }]);
        return (await store.run(command)) ? command.ids : [];
      },
    },
  ],
} satisfies WebModule;
