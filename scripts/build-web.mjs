#!/usr/bin/env node
// Builds the browser code (web/, Preact and CodeMirror) with esbuild: each console's entry is
// bundled and minified into dist/web/<console>/ as one script and one style sheet with content
// hashes in their names, and a manifest.json naming them for the server (src/portal/console-assets.ts).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** The consoles under web/ and their entry files. */
const consoles = [
  { name: 'admin', entry: 'web/admin/main.tsx' },
  { name: 'portal', entry: 'web/portal/main.tsx' },
];

for (const { name, entry } of consoles) {
  const outdir = join(root, 'dist', 'web', name);
  // Old hashed files would pile up otherwise.
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    outdir,
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
  const script = outputs.find((f) => f.endsWith('.js'));
  const style = outputs.find((f) => f.endsWith('.css'));
  if (!script || !style) throw new Error(`the ${name} console's build made no script or no style sheet: ${outputs.join(', ')}`);
  // Written last: its time is the build's time for scripts/dist-freshness.mjs.
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ script, style }, null, 2) + '\n');
  console.log(`web: ${name} console → dist/web/${name}/ (${readdirSync(outdir).join(', ')})`);
}
