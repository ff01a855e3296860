/**
 * A cell's code in CodeMirror 6, bound to its Y.Text with y-codemirror.next: everyone with the
 * permission types in it live, undo (Ctrl+Z) takes back only this person's edits. Shift+Enter
 * and Ctrl/Cmd+Enter run the cell, Escape leaves the editor. Its keys stay in it: the board's
 * shortcuts (N, Delete, …) see a contenteditable and keep out, and the wrapper stops them too.
 */
import { defaultKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { HighlightStyle, bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, Prec } from "@codemirror/state";
import { EditorView, drawSelection, keymap, placeholder } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useEffect, useRef } from "react";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import * as Y from "yjs";

/** Python's colours from jupyter.css's variables (light and dark alike). */
const HIGHLIGHT = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword], color: "var(--jp-keyword)", fontWeight: "600" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--jp-string)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--jp-number)" },
  { tag: [tags.comment, tags.lineComment], color: "var(--jp-comment)", fontStyle: "italic" },
  { tag: [tags.function(tags.definition(tags.variableName)), tags.definition(tags.className)], color: "var(--jp-definition)" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: "var(--jp-call)" },
  { tag: [tags.self, tags.standard(tags.variableName)], color: "var(--jp-builtin)" },
  { tag: tags.meta, color: "var(--jp-comment)" },
]);

const THEME = EditorView.theme({
  "&": { backgroundColor: "transparent", color: "inherit", fontSize: "0.82rem" },
  "&.cm-focused": { outline: "none" },
  ".cm-content": { fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace", padding: "0.35rem 0", caretColor: "var(--fg)" },
  ".cm-line": { padding: "0 0.55rem" },
  ".cm-scroller": { fontFamily: "inherit", lineHeight: "1.45" },
  ".cm-cursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "var(--jp-selection) !important" },
  ".cm-placeholder": { color: "var(--muted)", fontStyle: "italic" },
});

interface Props {
  text: Y.Text;
  readOnly: boolean;
  /** Shift+Enter / Ctrl+Enter: run this cell. */
  onRun: () => void;
  /** Called with a function focusing the editor (the board asks a new cell to be edited). */
  focusRef?: (focus: (() => void) | null) => void;
}

export function CellEditor({ text, readOnly, onRun, focusRef }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const editable = useRef(new Compartment());
  // The latest onRun, read when the key is pressed (the editor is built once per text).
  const run = useRef(onRun);
  run.current = onRun;

  useEffect(() => {
    if (!host.current) return;
    const undoManager = new Y.UndoManager(text, { captureTimeout: 600 });
    const runKey = () => {
      run.current();
      return true;
    };
    const leave = (v: EditorView) => {
      v.contentDOM.blur();
      return true;
    };
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text.toString(),
        extensions: [
          Prec.highest(keymap.of([{ key: "Shift-Enter", run: runKey }, { key: "Mod-Enter", run: runKey }, { key: "Escape", run: leave }])),
          keymap.of([...yUndoManagerKeymap, indentWithTab, ...defaultKeymap]),
          yCollab(text, null, { undoManager }),
          python(),
          indentUnit.of("    "),
          EditorState.tabSize.of(4),
          indentOnInput(),
          bracketMatching(),
          syntaxHighlighting(HIGHLIGHT),
          drawSelection(),
          placeholder("# Python: Shift+Enter runs it"),
          THEME,
          editable.current.of(EditorState.readOnly.of(readOnly)),
          EditorView.contentAttributes.of({ "aria-label": "Cell code", spellcheck: "false", autocorrect: "off", autocapitalize: "off" }),
        ],
      }),
    });
    view.current = editor;
    focusRef?.(() => editor.focus());
    return () => {
      focusRef?.(null);
      view.current = null;
      editor.destroy();
      undoManager.destroy();
    };
    // Built once per Y.Text; read-only changes are reconfigured below, without a new editor.
  }, [text]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure(EditorState.readOnly.of(readOnly)) });
  }, [readOnly]);

  return (
    <div
      ref={host}
      className={`jp-editor nodrag nowheel${readOnly ? " is-readonly" : ""}`}
      title={readOnly ? "You may read this code, not edit it." : undefined}
      // The board's shortcuts listen on the window: keys typed here are the editor's alone.
      onKeyDown={(e) => e.stopPropagation()}
    />
  );
}
