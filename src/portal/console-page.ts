/**
 * A console's one HTML page (the admin console's, the developer portal's): an empty shell that
 * loads the built script and style sheet. The pages themselves are drawn by the script (web/admin/, web/portal/). The CSP nonce for CodeMirror's
 * style elements is handed over in a meta element, as CodeMirror's documentation suggests.
 */
import type { ConsoleAssets } from './console-assets.js';

/** The path under which the console is served on the management listener. */
export const consoleBasePath = '/admin';

/** Which console a page is for: where its files are served and what it is called. */
export interface PageIdentity {
  /** The path its files are under, e.g. `/admin/assets`. */
  assetsPath: string;
  title: string;
}

/** The admin console's identity. */
export const adminConsolePage: PageIdentity = { assetsPath: `${consoleBasePath}/assets`, title: 'Gatehouse admin console' };

/** The HTML of the console page for one response. */
export function consolePage(assets: Pick<ConsoleAssets, 'script' | 'style'>, nonce: string, identity: PageIdentity = adminConsolePage): string {
  const asset = (name: string): string => `${identity.assetsPath}/${name}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="csp-nonce" content="${nonce}">`,
    `<title>${identity.title}</title>`,
    // No favicon: without this line the browser asks for /favicon.ico, which the management API does not serve.
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${asset(assets.style)}">`,
    `<script type="module" src="${asset(assets.script)}"></script>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<noscript><p>The ${identity.title} needs JavaScript.</p></noscript>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The page shown instead when the console was not built (a source checkout without `npm run build`). */
export function notBuiltPage(reason: string, identity: PageIdentity = adminConsolePage): string {
  const escaped = reason.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${identity.title}</title></head><body><main><h1>The ${identity.title} is not available</h1><p>${escaped}</p></main></body></html>\n`;
}
