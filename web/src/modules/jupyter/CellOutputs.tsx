/**
 * A cell's outputs: streams (stderr tinted), `Out[n]` results, rich displays (an image, an SVG
 * plot, an HTML table, markdown, else plain text), errors with their coloured traceback, and
 * Kiln's own notices. HTML and SVG are sanitized (outputs.ts) before they reach the page; a
 * link in them opens in a new tab, never this one.
 */
import { type MouseEvent, memo } from "react";
import type { MimeBundle } from "../../../../protocol/jupyter";
import { NoteMarkdown } from "../notes/NoteMarkdown";
import { type ShownOutput, ansiSpans, imageSource, preferredMime, sanitizeHtml, sanitizeSvg } from "./outputs";

/** A click on a link of a sanitized output: opened in a new tab without access to the board. */
function openLinksElsewhere(e: MouseEvent<HTMLElement>) {
  const link = e.target instanceof Element ? e.target.closest("a[href]") : null;
  if (!link) return;
  e.preventDefault();
  const href = link.getAttribute("href") ?? "";
  if (/^https?:/i.test(href)) window.open(href, "_blank", "noopener,noreferrer");
}

export function CellOutputs({ outputs }: { outputs: readonly ShownOutput[] }) {
  if (outputs.length === 0) return null;
  return (
    <div className="jp-outputs nodrag nowheel" data-testid="cell-outputs" onClick={openLinksElsewhere}>
      {outputs.map((o) => (
        <Output key={o.key} output={o} />
      ))}
    </div>
  );
}

const Output = memo(function Output({ output }: { output: ShownOutput }) {
  switch (output.type) {
    case "stream":
      return <pre className={`jp-stream jp-${output.name}`}>{output.name === "stderr" ? <Ansi text={output.text} /> : output.text}</pre>;
    case "result":
      return (
        <div className="jp-result">
          <span className="jp-prompt jp-out">Out[{output.count ?? " "}]:</span>
          <Bundle data={output.data} />
        </div>
      );
    case "display":
      return (
        <div className="jp-display">
          <Bundle data={output.data} />
        </div>
      );
    case "error":
      return (
        <div className="jp-error" role="group" aria-label={`${output.ename}: ${output.evalue}`}>
          {output.traceback.length > 0 ? (
            <pre className="jp-traceback">
              <Ansi text={output.traceback.join("\n")} />
            </pre>
          ) : (
            <pre className="jp-traceback">
              <b>{output.ename}</b>: {output.evalue}
            </pre>
          )}
        </div>
      );
    case "notice":
      return <p className="jp-notice">{output.text}</p>;
  }
});

/** The preferred part of a MIME bundle. */
function Bundle({ data }: { data: MimeBundle }) {
  const part = preferredMime(data);
  if (!part) return <pre className="jp-plain muted">(an output Kiln does not show)</pre>;
  switch (part.mime) {
    case "image/png":
    case "image/jpeg": {
      const src = imageSource(part.mime, part.value);
      return src ? <img className="jp-image" src={src} alt={data["text/plain"] ?? "An image output"} /> : <pre className="jp-plain muted">(an image that could not be read)</pre>;
    }
    case "image/svg+xml":
      return <div className="jp-svg" dangerouslySetInnerHTML={{ __html: sanitizeSvg(part.value) }} />;
    case "text/html":
      return <div className="jp-html" dangerouslySetInnerHTML={{ __html: sanitizeHtml(part.value) }} />;
    case "text/markdown":
      return (
        <div className="jp-markdown">
          <NoteMarkdown text={part.value} />
        </div>
      );
    case "text/plain":
      return (
        <pre className="jp-plain">
          <Ansi text={part.value} />
        </pre>
      );
  }
}

/** Text with ANSI colours as spans (anser reads the codes; no HTML is built from the text). */
function Ansi({ text }: { text: string }) {
  return (
    <>
      {ansiSpans(text).map((s, i) => {
        const className = [s.fg, s.bg, s.bold && "ansi-bold", s.italic && "ansi-italic", s.underline && "ansi-underline"].filter(Boolean).join(" ");
        if (!className && !s.fgRgb) return s.text;
        return (
          <span key={i} className={className || undefined} style={s.fgRgb ? { color: `rgb(${s.fgRgb})` } : undefined}>
            {s.text}
          </span>
        );
      })}
    </>
  );
}
