/**
 * The policy code editor: CodeMirror 6 with XML highlighting, line numbers, search and undo
 * (its basic setup), labelled for assistive technology. Its style elements carry the page's CSP
 * nonce. The parent reads the text through `onChange` and marks refusals through `markedError`.
 */
import { xml } from '@codemirror/lang-xml';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';
import { styleNonce } from './csp-nonce.js';
import { errorMarks, setMarkedError, type MarkedError } from './error-marks.js';
import { policyHighlighting } from './policy-highlighting.js';

export interface PolicyEditorProps {
  /** The document the editor starts with (a new value replaces the text). */
  initial: string;
  /** The accessible name of the editing area. */
  label: string;
  /** The id of the text that describes the editor (the keyboard hint). */
  describedBy?: string;
  markedError: MarkedError | null;
  onChange(text: string): void;
}

export function PolicyEditor({ initial, label, describedBy, markedError, onChange }: PolicyEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const editor = new EditorView({
      doc: initial,
      parent: host.current!,
      extensions: [
        policyHighlighting(),
        basicSetup,
        xml(),
        errorMarks(),
        EditorView.cspNonce.of(styleNonce()),
        EditorView.contentAttributes.of({ 'aria-label': label, ...(describedBy ? { 'aria-describedby': describedBy } : {}) }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed.current(update.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, [initial, label, describedBy]);

  useEffect(() => {
    view.current?.dispatch({ effects: setMarkedError.of(markedError) });
    if (markedError && view.current) {
      const line = view.current.state.doc.line(Math.min(markedError.line, view.current.state.doc.lines));
      view.current.dispatch({ effects: EditorView.scrollIntoView(line.from, { y: 'center' }) });
    }
  }, [markedError]);

  return <div class="policy-editor" ref={host} />;
}
