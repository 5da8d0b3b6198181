/**
 * The admin console's one HTML page: an empty shell that loads the built script and style sheet.
 * The pages themselves are drawn by the script (web/admin/). The CSP nonce for CodeMirror's
 * style elements is handed over in a meta element, as CodeMirror's documentation suggests.
 */
import type { ConsoleAssets } from './console-assets.js';

/** The path under which the console is served on the management listener. */
export const consoleBasePath = '/admin';

/** The HTML of the console page for one response. */
export function consolePage(assets: Pick<ConsoleAssets, 'script' | 'style'>, nonce: string): string {
  const asset = (name: string): string => `${consoleBasePath}/assets/${name}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="csp-nonce" content="${nonce}">`,
    '<title>Gatehouse admin console</title>',
    // No favicon: without this line the browser asks for /favicon.ico, which the management API does not serve.
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${asset(assets.style)}">`,
    `<script type="module" src="${asset(assets.script)}"></script>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    '<noscript><p>The Gatehouse admin console needs JavaScript.</p></noscript>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The page shown instead when the console was not built (a source checkout without `npm run build`). */
export function notBuiltPage(reason: string): string {
  const escaped = reason.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Gatehouse admin console</title></head><body><main><h1>The admin console is not available</h1><p>${escaped}</p></main></body></html>\n`;
}
