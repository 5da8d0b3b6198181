/**
 * Marks the server's compile error in the CodeMirror editor: the whole line gets a line
 * decoration (with `data-error-line`, the 1-based line number) and the text from the named column
 * to the end of the line a mark carrying the message as its title. The marks follow edits and are
 * replaced by the next save's answer.
 */
import { StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';
import type { ErrorPosition } from './error-position.js';

export interface MarkedError extends ErrorPosition {
  message: string;
}

/** Sets (or with null clears) the marked error. */
export const setMarkedError = StateEffect.define<MarkedError | null>();

function decorationsFor(state: EditorState, error: MarkedError): DecorationSet {
  // A position past the document's end still marks its last line, so the error is never lost.
  const line = state.doc.line(Math.min(error.line, state.doc.lines));
  const from = Math.min(line.from + error.column - 1, line.to);
  const to = line.to > from ? line.to : from;
  const marks = [
    Decoration.line({ class: 'cm-error-line', attributes: { 'data-error-line': String(line.number) } }).range(line.from),
  ];
  if (to > from) marks.push(Decoration.mark({ class: 'cm-error-range', attributes: { title: error.message } }).range(from, to));
  return Decoration.set(marks, true);
}

const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (effect.is(setMarkedError)) next = effect.value ? decorationsFor(tr.state, effect.value) : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** The editor extension that shows marked errors. */
export function errorMarks(): Extension {
  return errorField;
}
