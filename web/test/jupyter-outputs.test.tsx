// @vitest-environment jsdom
// DOMPurify needs a DOM it supports: jsdom is one, happy-dom (the web project's) silently is not.
/** A cell's outputs, pure: streams joined, the MIME type drawn, HTML and SVG sanitized, ANSI colours read; and reading order. */
import { describe, expect, it } from "vitest";
import type { CellOutput } from "../../protocol/jupyter";
import { ansiSpans, applyCarriageReturns, imageSource, joinStreams, parseOutputs, preferredMime, sanitizeHtml, sanitizeSvg, stripAnsi } from "../src/modules/jupyter/outputs";
import { fromCell, readingOrder } from "../src/modules/jupyter/reading-order";

describe("joining streams", () => {
  it("joins consecutive chunks of the same stream, and only those", () => {
    const outputs: CellOutput[] = [
      { type: "stream", name: "stdout", text: "a" },
      { type: "stream", name: "stdout", text: "b\n" },
      { type: "stream", name: "stderr", text: "warn\n" },
      { type: "stream", name: "stdout", text: "c" },
      { type: "result", count: 3, data: { "text/plain": "42" } },
      { type: "stream", name: "stdout", text: "d" },
      { type: "stream", name: "stdout", text: "e" },
    ];
    const shown = joinStreams(outputs);
    expect(shown.map((o) => (o.type === "stream" ? `${o.name}:${o.text}` : o.type))).toEqual(["stdout:ab\n", "stderr:warn\n", "stdout:c", "result", "stdout:de"]);
    // Keys are where each shown output started: stable while more chunks arrive.
    expect(shown.map((o) => o.key)).toEqual([0, 2, 3, 4, 5]);
    // The doc's outputs are left as they were.
    expect(outputs[0]).toEqual({ type: "stream", name: "stdout", text: "a" });
  });

  it("lets a progress bar's carriage returns rewrite its line, across chunks", () => {
    expect(applyCarriageReturns("10%\r50%\r100%\ndone\n")).toBe("100%\ndone\n");
    expect(applyCarriageReturns("line\r\nnext")).toBe("line\nnext");
    expect(applyCarriageReturns("50%\r")).toBe("50%");
    const shown = joinStreams([
      { type: "stream", name: "stderr", text: "10%\r" },
      { type: "stream", name: "stderr", text: "60%\r" },
      { type: "stream", name: "stderr", text: "100%\n" },
    ]);
    expect(shown).toEqual([{ type: "stream", name: "stderr", text: "100%\n", key: 0 }]);
  });

  it("skips what is not an output (never cast)", () => {
    expect(parseOutputs([{ type: "stream", name: "stdout", text: "ok" }, { type: "stream", name: "stdin", text: "x" }, "junk", null, { type: "notice", text: "n" }])).toEqual([
      { type: "stream", name: "stdout", text: "ok" },
      { type: "notice", text: "n" },
    ]);
  });
});

describe("the MIME type drawn", () => {
  it("prefers images, then SVG, HTML, markdown, plain text", () => {
    expect(preferredMime({ "text/plain": "<Figure>", "image/png": "iVBOR", "text/html": "<b>" })).toEqual({ mime: "image/png", value: "iVBOR" });
    expect(preferredMime({ "text/plain": "x", "image/jpeg": "/9j/" })?.mime).toBe("image/jpeg");
    expect(preferredMime({ "text/plain": "x", "image/svg+xml": "<svg/>", "text/html": "<b>" })?.mime).toBe("image/svg+xml");
    expect(preferredMime({ "text/plain": "df", "text/html": "<table>" })?.mime).toBe("text/html");
    expect(preferredMime({ "text/plain": "x", "text/markdown": "# T" })?.mime).toBe("text/markdown");
    expect(preferredMime({ "text/plain": "x" })).toEqual({ mime: "text/plain", value: "x" });
    expect(preferredMime({})).toBeNull();
  });

  it("makes data: URLs only of base64", () => {
    expect(imageSource("image/png", "iVBO\nRw0K==")).toBe("data:image/png;base64,iVBORw0K==");
    expect(imageSource("image/png", 'x" onerror="alert(1)')).toBeNull();
  });
});

describe("sanitizing", () => {
  it("keeps a DataFrame's table, drops scripts, handlers, frames, forms and styles", () => {
    const html = sanitizeHtml(
      '<style>body{display:none}</style><table class="dataframe"><tr><th>a</th><td onclick="steal()">1</td></tr></table>' +
        '<script>alert(1)</script><img src="x" onerror="alert(2)"><iframe src="https://evil.test"></iframe>' +
        '<form action="https://evil.test"><input name="password"></form><a href="javascript:alert(3)">x</a><a href="https://ok.test">ok</a>',
    );
    expect(html).toContain('<table class="dataframe">');
    expect(html).toContain("<td>1</td>");
    expect(html).toContain('href="https://ok.test"');
    for (const bad of ["<script", "onclick", "onerror", "<iframe", "<form", "<input", "<style", "javascript:"]) expect(html).not.toContain(bad);
  });

  it("keeps an SVG plot's shapes, drops its scripts, handlers and foreign HTML", () => {
    const svg = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><script>alert(2)</script><rect width="5" height="5" fill="red"/>' +
        '<foreignObject><iframe src="https://evil.test"></iframe></foreignObject><a href="javascript:alert(3)"><text>t</text></a></svg>',
    );
    expect(svg).toContain("<rect");
    expect(svg).toContain('fill="red"');
    for (const bad of ["onload", "<script", "foreignObject", "<iframe", "javascript:"]) expect(svg).not.toContain(bad);
  });
});

describe("ANSI colours", () => {
  it("reads a traceback's colours as classes, and strips them for plain text", () => {
    const traceback = "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero \x1b[1;32mbold\x1b[0m \x1b[38;2;10;20;30mrgb\x1b[0m \x1b[38;5;28mpalette\x1b[0m";
    const spans = ansiSpans(traceback);
    expect(spans.map((s) => s.text).join("")).toBe("ZeroDivisionError: division by zero bold rgb palette");
    expect(spans[0]).toMatchObject({ text: "ZeroDivisionError", fg: "ansi-red-fg", bold: false });
    expect(spans.find((s) => s.text === "bold")).toMatchObject({ fg: "ansi-green-fg", bold: true, fgRgb: null });
    expect(spans.find((s) => s.text === "rgb")).toMatchObject({ fg: null, fgRgb: "10, 20, 30" });
    // xterm's colour 28: a green.
    expect(spans.find((s) => s.text === "palette")).toMatchObject({ fg: null, fgRgb: "0, 135, 0" });
    expect(stripAnsi(traceback)).toBe("ZeroDivisionError: division by zero bold rgb palette");
  });

  it("never turns text into markup", () => {
    expect(ansiSpans("\x1b[31m<img src=x onerror=alert(1)>\x1b[0m")[0]?.text).toBe("<img src=x onerror=alert(1)>");
  });
});

describe("reading order", () => {
  const box = (id: string, x: number, y: number, width = 400, height = 200) => ({ id, x, y, width, height });

  it("runs top to bottom, and a row of cells (tops not quite aligned) left to right", () => {
    const cells = [box("below", 0, 600), box("right", 500, 20), box("left", 0, 0), box("far-right", 1000, 90), box("middle", 300, 300)];
    expect(readingOrder(cells)).toEqual(["left", "right", "far-right", "middle", "below"]);
  });

  it("starts a new row once a cell's top is below the middle of the row's first cell", () => {
    expect(readingOrder([box("a", 0, 0, 400, 100), box("b", 500, 49, 400, 100), box("c", -500, 51, 400, 100)])).toEqual(["a", "b", "c"]);
    expect(readingOrder([])).toEqual([]);
  });

  it("runs from a cell down, or everything when it is not on the view", () => {
    expect(fromCell(["a", "b", "c"], "b")).toEqual(["b", "c"]);
    expect(fromCell(["a", "b", "c"], "z")).toEqual(["a", "b", "c"]);
  });
});
