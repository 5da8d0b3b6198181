/**
 * A console's built files (scripts/build-web.mjs writes them to dist/web/<console>/ with a
 * manifest naming the content-hashed script and style sheet): the admin console's, the developer portal's. They are read once, at start, and
 * served from memory; only the files the manifest names are served.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the build puts the admin console, seen from dist/portal/. */
export const defaultAssetsDir = fileURLToPath(new URL('../web/admin/', import.meta.url));

/** Where the build puts the developer portal, seen from dist/portal/. */
export const portalAssetsDir = fileURLToPath(new URL('../web/portal/', import.meta.url));

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
}

export interface ConsoleAssets {
  /** The script and style sheet the page loads (file names under /admin/assets/). */
  script: string;
  style: string;
  files: Map<string, ConsoleAsset>;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Reads the built console; throws with the reason when it is missing or the manifest is bad. */
export function loadConsoleAssets(dir: string = defaultAssetsDir, label = 'the admin console'): ConsoleAssets {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch (err) {
    throw new Error(`${label} is not built (${(err as Error).message}); run \`npm run build\``);
  }
  const { script, style } = (manifest ?? {}) as { script?: unknown; style?: unknown };
  if (typeof script !== 'string' || typeof style !== 'string') throw new Error(`${join(dir, 'manifest.json')} names no script and style sheet`);
  const files = new Map<string, ConsoleAsset>();
  for (const name of [script, style]) {
    // The manifest is our own build's, but a name is still never allowed to leave the folder.
    if (basename(name) !== name) throw new Error(`${join(dir, 'manifest.json')} names a file outside its folder: ${name}`);
    const type = contentTypes[name.slice(name.lastIndexOf('.'))];
    if (!type) throw new Error(`${join(dir, 'manifest.json')} names a file of unknown type: ${name}`);
    files.set(name, { body: readFileSync(join(dir, name)), contentType: type });
  }
  return { script, style, files };
}
