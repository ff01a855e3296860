/**
 * What an uploaded file is, read from its bytes and never from what the client says: PNG,
 * JPEG, GIF or WebP by their magic bytes, with the pixel size from the header. SVG is refused
 * (it is a document that can carry script), and so is anything else. Pure: no I/O.
 */
import { ImageTypeSchema } from "../../../../protocol/images";

/** The types accepted, as read from the bytes (protocol/images.ts). */
export const IMAGE_TYPES = ImageTypeSchema.options;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The largest side an image may have, in pixels: a bigger one is a decompression bomb for the browsers drawing it. */
export const MAX_SIDE = 16_384;

export interface SniffedImage {
  type: ImageType;
  width: number;
  height: number;
}

export type Sniffed = { ok: true; image: SniffedImage } | { ok: false; code: "svg_refused" | "unsupported_type" | "invalid_image"; message: string };

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(b: Uint8Array): [number, number] | null {
  // The first chunk must be IHDR (length 13): width and height, big-endian.
  if (b.length < 24 || u32be(b, 8) !== 13 || ascii(b, 12, 4) !== "IHDR") return null;
  return [u32be(b, 16), u32be(b, 20)];
}

function jpeg(b: Uint8Array): [number, number] | null {
  // Walk the segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC).
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = u16be(b, at + 2);
    if (length < 2) return null;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return [u16be(b, at + 7), u16be(b, at + 5)];
    at += 2 + length;
  }
  return null;
}

function gif(b: Uint8Array): [number, number] | null {
  return b.length < 10 ? null : [u16le(b, 6), u16le(b, 8)];
}

function webp(b: Uint8Array): [number, number] | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8 " && b.length >= 30) {
    // A key frame's start code, then 14-bit width and height.
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return [u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff];
  }
  if (chunk === "VP8L" && b.length >= 25) {
    if (b[20] !== 0x2f) return null;
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return [1 + (bits & 0x3fff), 1 + ((bits >>> 14) & 0x3fff)];
  }
  if (chunk === "VP8X" && b.length >= 30) return [1 + u24le(b, 24), 1 + u24le(b, 27)];
  return null;
}

/** True when the bytes look like SVG (or any XML/HTML text naming an svg element) near their start. */
function looksLikeSvg(b: Uint8Array): boolean {
  const head = new TextDecoder().decode(b.subarray(0, 4096)).replace(/^\uFEFF/, "").trimStart().toLowerCase();
  return head.startsWith("<svg") || ((head.startsWith("<?xml") || head.startsWith("<!doctype") || head.startsWith("<!--")) && head.includes("<svg"));
}

/** Reads the image type and size from the bytes; refuses SVG, other types, and headers that say nothing sensible. */
export function sniffImage(bytes: Uint8Array): Sniffed {
  let found: [ImageType, [number, number] | null] | null = null;
  if (startsWith(bytes, PNG)) found = ["image/png", png(bytes)];
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) found = ["image/jpeg", jpeg(bytes)];
  else if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") found = ["image/gif", gif(bytes)];
  else if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") found = ["image/webp", webp(bytes)];
  if (!found) {
    if (looksLikeSvg(bytes)) return { ok: false, code: "svg_refused", message: "SVG images are not accepted: an SVG can carry script. Export it as PNG and upload that." };
    return { ok: false, code: "unsupported_type", message: "This file is not a PNG, JPEG, GIF or WebP image (judged by its content, not its name)." };
  }
  const [type, size] = found;
  if (!size || size[0] < 1 || size[1] < 1) return { ok: false, code: "invalid_image", message: `This ${type.slice(6).toUpperCase()} file is damaged: its header gives no size.` };
  if (size[0] > MAX_SIDE || size[1] > MAX_SIDE) return { ok: false, code: "invalid_image", message: `The image is ${size[0]}×${size[1]} pixels; at most ${MAX_SIDE} a side is accepted.` };
  return { ok: true, image: { type, width: size[0], height: size[1] } };
}
