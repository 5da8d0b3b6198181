/**
 * The page's CSP nonce for style elements, which the server writes into
 * `<meta name="csp-nonce">` (src/portal/console-page.ts) for CodeMirror's `EditorView.cspNonce`.
 */

/** The nonce, or '' when the page has none. */
export function styleNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
}
