/**
 * The security headers on every admin console response (issue 18 §4). The policy allows scripts
 * and style sheets from the console itself only; the one exception is the `<style>` elements
 * CodeMirror injects, allowed by a nonce made fresh for each page (the page hands it to
 * CodeMirror's `EditorView.cspNonce`), so no inline script and no `'unsafe-inline'` is ever allowed.
 */
import { randomBytes } from 'node:crypto';

/** A fresh CSP nonce: 128 random bits, base64. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The Content-Security-Policy of a console response; `styleNonce` only on the page itself. */
export function contentSecurityPolicy(styleNonce?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    styleNonce ? `style-src 'self' 'nonce-${styleNonce}'` : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // The console talks to the management API of the origin that served it, and nothing else.
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every console response carries. */
export function consoleHeaders(styleNonce?: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(styleNonce),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // For browsers that predate frame-ancestors.
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}
