/**
 * Writes Yjs (v1) updates by hand, struct by struct, the way an attacker would: any client
 * id, clock, origins, parent and content, whether or not a real Y.Doc could produce it.
 * The format is Yjs's own (UpdateEncoderV1): clients with their structs, then a delete set.
 */
import * as encoding from "lib0/encoding";

export type ForgedId = [client: number, clock: number];

export type ForgedContent =
  | { string: string }
  | { deleted: number }
  | { json: unknown[] }
  | { binary: Uint8Array }
  | { embed: unknown }
  | { format: [key: string, value: unknown] }
  /** 0 Array, 1 Map, 2 Text, 3 XmlElement, 4 XmlFragment, 5 XmlHook, 6 XmlText. */
  | { type: number }
  | { any: unknown[] }
  | { doc: string };

export type ForgedStruct =
  | { gc: number }
  | { skip: number }
  | {
      origin?: ForgedId | null;
      rightOrigin?: ForgedId | null;
      /** Only read when there are no origins: a root name or the id of a type's item. */
      parent?: string | ForgedId;
      parentSub?: string | null;
      content: ForgedContent;
    };

export interface ForgedBlock {
  client: number;
  clock: number;
  structs: ForgedStruct[];
}

/** How many clock ticks a struct takes. */
export function lengthOf(struct: ForgedStruct): number {
  if ("gc" in struct) return struct.gc;
  if ("skip" in struct) return struct.skip;
  const c = struct.content;
  if ("string" in c) return c.string.length;
  if ("deleted" in c) return c.deleted;
  if ("json" in c) return c.json.length;
  if ("any" in c) return c.any.length;
  return 1;
}

const REF = { deleted: 1, json: 2, binary: 3, string: 4, embed: 5, format: 6, type: 7, any: 8, doc: 9 } as const;

function writeContent(e: encoding.Encoder, c: ForgedContent): void {
  if ("deleted" in c) encoding.writeVarUint(e, c.deleted);
  else if ("json" in c) {
    encoding.writeVarUint(e, c.json.length);
    for (const v of c.json) encoding.writeVarString(e, v === undefined ? "undefined" : JSON.stringify(v));
  } else if ("binary" in c) encoding.writeVarUint8Array(e, c.binary);
  else if ("string" in c) encoding.writeVarString(e, c.string);
  else if ("embed" in c) encoding.writeVarString(e, JSON.stringify(c.embed));
  else if ("format" in c) {
    encoding.writeVarString(e, c.format[0]);
    encoding.writeVarString(e, JSON.stringify(c.format[1]));
  } else if ("type" in c) {
    encoding.writeVarUint(e, c.type);
    if (c.type === 3 || c.type === 5) encoding.writeVarString(e, "p");
  } else if ("any" in c) {
    encoding.writeVarUint(e, c.any.length);
    for (const v of c.any) encoding.writeAny(e, v as Parameters<typeof encoding.writeAny>[1]);
  } else {
    encoding.writeVarString(e, c.doc);
    encoding.writeAny(e, {});
  }
}

/** An update from blocks of structs and a delete set of [client, clock, length] ranges. */
export function forgeUpdate(blocks: ForgedBlock[], deletes: [client: number, clock: number, length: number][] = []): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, blocks.length);
  for (const block of blocks) {
    encoding.writeVarUint(e, block.structs.length);
    encoding.writeVarUint(e, block.client);
    encoding.writeVarUint(e, block.clock);
    for (const s of block.structs) {
      if ("gc" in s) {
        encoding.writeUint8(e, 0);
        encoding.writeVarUint(e, s.gc);
        continue;
      }
      if ("skip" in s) {
        encoding.writeUint8(e, 10);
        encoding.writeVarUint(e, s.skip);
        continue;
      }
      const ref = REF[Object.keys(s.content)[0] as keyof typeof REF];
      const info = ref | (s.origin ? 0x80 : 0) | (s.rightOrigin ? 0x40 : 0) | (s.parentSub != null ? 0x20 : 0);
      encoding.writeUint8(e, info);
      if (s.origin) s.origin.forEach((n) => encoding.writeVarUint(e, n));
      if (s.rightOrigin) s.rightOrigin.forEach((n) => encoding.writeVarUint(e, n));
      if (!s.origin && !s.rightOrigin) {
        const parent = s.parent ?? "notes/bodies";
        if (typeof parent === "string") {
          encoding.writeVarUint(e, 1);
          encoding.writeVarString(e, parent);
        } else {
          encoding.writeVarUint(e, 0);
          parent.forEach((n) => encoding.writeVarUint(e, n));
        }
        if (s.parentSub != null) encoding.writeVarString(e, s.parentSub);
      }
      writeContent(e, s.content);
    }
  }
  const byClient = new Map<number, [number, number][]>();
  for (const [client, clock, len] of deletes) byClient.set(client, [...(byClient.get(client) ?? []), [clock, len]]);
  encoding.writeVarUint(e, byClient.size);
  for (const [client, ranges] of byClient) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges.length);
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
  return encoding.toUint8Array(e);
}
