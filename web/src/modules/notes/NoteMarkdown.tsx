/**
 * A note's markdown, drawn while nobody here is editing it: headings, emphasis, lists, task
 * lists, links, code, tables (GitHub's flavour, remark-gfm). react-markdown builds React
 * elements from the syntax tree, never HTML strings: raw HTML in a note is dropped (skipHtml),
 * `javascript:` and other unsafe URLs are emptied (its default urlTransform), and links open in
 * a new tab without access to this page (rel="noopener noreferrer").
 */
import { memo } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

const PLUGINS = [remarkGfm];
const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer" className="nodrag">
      {children}
    </a>
  ),
};

/** The note's text as markdown; memoised on the text, so only a changed note is parsed again. */
export const NoteMarkdown = memo(function NoteMarkdown({ text }: { text: string }) {
  return (
    <Markdown remarkPlugins={PLUGINS} components={COMPONENTS} skipHtml>
      {text}
    </Markdown>
  );
});
