/**
 * A cell's outputs as the node shows them, pure: consecutive streams joined, the one MIME type
 * drawn from a bundle, HTML and SVG sanitized (DOMPurify), ANSI colours read (anser). Outputs
 * come from a kernel anyone in the project may run code on: nothing from them runs here.
 */
import Anser from "anser";
import DOMPurify from "dompurify";
import { type CellOutput, CellOutputSchema, type MimeBundle } from "../../../../protocol/jupyter";

/** An output as drawn: a stream is every consecutive chunk of the same name, joined. */
export type ShownOutput = CellOutput & { key: number };

/** Reads the doc's outputs with their schema (a bad one is skipped, never cast). */
export function parseOutputs(items: readonly unknown[]): CellOutput[] {
  return items.flatMap((item) => {
    const parsed = CellOutputSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Consecutive `stream` outputs of the same name become one; each keeps the index it started at as its key. */
export function joinStreams(outputs: readonly CellOutput[]): ShownOutput[] {
  const shown: ShownOutput[] = [];
  outputs.forEach((output, index) => {
    const last = shown.at(-1);
    if (output.type === "stream" && last?.type === "stream" && last.name === output.name) last.text += output.text;
    else shown.push({ ...output, key: index });
  });
  return shown.map((o) => (o.type === "stream" ? { ...o, text: applyCarriageReturns(o.text) } : o));
}

/**
 * A progress bar's `\r` (tqdm, pip) rewrites its line: only what followed the last `\r` of a
 * line stays, as in a terminal. A `\r\n` is a plain line end.
 */
export function applyCarriageReturns(text: string): string {
  if (!text.includes("\r")) return text;
  return text
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line) => {
      const parts = line.split("\r");
      // A trailing `\r` (the bar about to be redrawn) keeps the line it ends.
      const kept = parts.filter((p, i) => p !== "" || i === 0);
      return kept.at(-1) ?? "";
    })
    .join("\n");
}

/** The MIME types a bundle is drawn with, most preferred first. */
export const MIME_PREFERENCE = ["image/png", "image/jpeg", "image/svg+xml", "text/html", "text/markdown", "text/plain"] as const;
export type ShownMime = (typeof MIME_PREFERENCE)[number];

/** The one part of a bundle to draw, or null when it has none we draw. */
export function preferredMime(bundle: MimeBundle): { mime: ShownMime; value: string } | null {
  for (const mime of MIME_PREFERENCE) {
    const value = bundle[mime];
    if (typeof value === "string") return { mime, value };
  }
  return null;
}

/** A base64 image as a data: URL, or null when the payload is not base64 (it could close the attribute otherwise). */
export function imageSource(mime: "image/png" | "image/jpeg", base64: string): string | null {
  const clean = base64.replace(/\s+/g, "");
  return /^[A-Za-z0-9+/]*={0,2}$/.test(clean) ? `data:${mime};base64,${clean}` : null;
}

/**
 * Tags dropped from HTML outputs beyond DOMPurify's defaults (which already drop scripts and
 * every `on…` handler): frames and plugins, forms (a cell must not ask for a password), and
 * `<style>`, whose rules would restyle the whole board.
 */
const FORBID_TAGS = ["style", "iframe", "frame", "frameset", "object", "embed", "form", "input", "button", "textarea", "select", "link", "meta", "base", "audio", "video"];

/** An HTML output (a DataFrame's table) with nothing that runs, loads a frame or restyles the page. */
export function sanitizeHtml(html: string): string {
  // Where DOMPurify cannot work it hands the input back untouched: then nothing is drawn.
  return DOMPurify.isSupported ? DOMPurify.sanitize(html, { FORBID_TAGS, FORBID_ATTR: ["srcdoc", "formaction"] }) : "";
}

/** An SVG output (a plot) with no script, handler or foreign HTML inside. */
export function sanitizeSvg(svg: string): string {
  return DOMPurify.isSupported ? DOMPurify.sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true }, FORBID_TAGS: ["style", "foreignObject"] }) : "";
}

/** A run of text in one colour and weight, from ANSI escape codes (a traceback's colours). */
export interface AnsiSpan {
  text: string;
  /** The class of its colour, `ansi-red-fg` (styled in jupyter.css), or null. */
  fg: string | null;
  bg: string | null;
  /** A 256-colour or 24-bit colour, as `r, g, b`, when the kernel gave one. */
  fgRgb: string | null;
  bold: boolean;
  italic: boolean;
  underline: boolean;
}

const NAMED = /^ansi-(bright-)?(black|red|green|yellow|blue|magenta|cyan|white)$/;
const RGB = /^\d{1,3}, \d{1,3}, \d{1,3}$/;

/**
 * Text with ANSI escape codes as coloured runs (anser reads the codes). The 16 named colours
 * become classes, themed for light and dark; a 256-colour or 24-bit one (IPython's tracebacks
 * use a few) keeps the RGB anser gives it.
 */
export function ansiSpans(text: string): AnsiSpan[] {
  const named = Anser.ansiToJson(text, { use_classes: true, remove_empty: true });
  // The same runs with every colour as RGB (anser's palette): for those without a class.
  const rgb = Anser.ansiToJson(text, { remove_empty: true });
  const aligned = rgb.length === named.length;
  return named.map((e, i) => {
    const fgRgb = e.fg === "ansi-truecolor" ? e.fg_truecolor : e.fg?.startsWith("ansi-palette-") && aligned ? rgb[i]!.fg : null;
    return {
      text: e.content,
      fg: e.fg && NAMED.test(e.fg) ? `${e.fg}-fg` : null,
      bg: e.bg && NAMED.test(e.bg) ? `${e.bg}-bg` : null,
      // anser keeps the last true colour on later runs: only a run marked truecolor or palette has one.
      fgRgb: fgRgb && RGB.test(fgRgb) ? fgRgb : null,
      bold: e.decorations.includes("bold"),
      italic: e.decorations.includes("italic"),
      underline: e.decorations.includes("underline"),
    };
  });
}

/** Text without its ANSI escape codes (a traceback copied, a tooltip). */
export const stripAnsi = (text: string) => Anser.ansiToText(text);
