/**
 * The policy editor's syntax colours. CodeMirror's default palette has colours under WCAG AA's
 * 4.5:1 (its red for invalid markup is 4.0:1 on white, and its tag green drops under 4.5:1 on the
 * active line's tint), so the editor uses this one: every colour is 6:1 or more on white and
 * stays over 4.5:1 on the light tints of the active line, the selection and the marked error line.
 */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { tags } from '@lezer/highlight';

const policyHighlightStyle = HighlightStyle.define([
  { tag: [tags.tagName, tags.typeName, tags.namespace], color: '#00613a' },
  { tag: [tags.attributeName, tags.propertyName, tags.definition(tags.propertyName)], color: '#1c3aa9' },
  { tag: [tags.attributeValue, tags.string], color: '#9e1010' },
  { tag: tags.comment, color: '#5e4500', fontStyle: 'italic' },
  { tag: [tags.processingInstruction, tags.keyword, tags.meta, tags.documentMeta], color: '#5f1f7a' },
  { tag: [tags.character, tags.escape, tags.special(tags.string)], color: '#7a2e00' },
  { tag: [tags.atom, tags.literal, tags.bool, tags.number], color: '#1a237e' },
  { tag: tags.invalid, color: '#9e1010', textDecoration: 'underline' },
  { tag: [tags.angleBracket, tags.punctuation], color: '#3a414a' },
]);

/** The highlighting extension (takes precedence over basicSetup's fallback palette). */
export function policyHighlighting(): Extension {
  return syntaxHighlighting(policyHighlightStyle);
}
