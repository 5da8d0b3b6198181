#!/usr/bin/env node
// Enforces docs/design.md's import rules between the folders of src/ (the lint step of `npm test`),
// and keeps the browser code in web/ apart from the server's: it imports only web/ and npm packages.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const web = join(root, 'web');

// Which top-level folders each folder may import (besides itself and Node/npm packages).
const allowed = {
  core: [],
  model: ['core'],
  expressions: ['core'],
  pipeline: ['core', 'model', 'expressions'],
  policies: ['core', 'model', 'expressions', 'pipeline'],
  gateway: ['core', 'model', 'expressions', 'pipeline', 'policies'],
  network: ['core', 'model', 'expressions', 'pipeline', 'policies', 'gateway'],
  store: ['core', 'model'],
  secrets: ['core'],
  management: ['core', 'model', 'expressions', 'pipeline', 'policies', 'store'],
  portal: ['core', 'model'],
  main: ['core', 'model', 'expressions', 'pipeline', 'policies', 'gateway', 'network', 'store', 'secrets', 'management', 'portal'],
};
// Folders whose code may not use npm packages of another part's field.
const forbiddenPackages = {
  core: [], model: [], expressions: ['undici', 'pg', 'better-sqlite3', 'ioredis'],
  gateway: ['pg', 'better-sqlite3', 'ioredis'], network: ['pg', 'better-sqlite3', 'ioredis'],
  policies: ['pg', 'better-sqlite3', 'ioredis'],
  // Key Vault is reached through the SecretProvider port (src/core/secret-provider.ts) only.
  management: ['@azure/keyvault-secrets', '@azure/identity'],
};

function walk(dir, extensions = ['.ts']) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path, extensions));
    else if (extensions.some((e) => name.endsWith(e))) out.push(path);
  }
  return out;
}

const problems = [];
const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
for (const file of walk(src)) {
  const folder = relative(src, file).split('/')[0];
  if (!(folder in allowed)) {
    problems.push(`${relative(root, file)}: folder '${folder}' is not in docs/design.md's layout`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2];
    if (spec.startsWith('.')) {
      const target = relative(src, resolve(dirname(file), spec));
      const targetFolder = target.split('/')[0];
      if (target.startsWith('..')) problems.push(`${relative(root, file)}: imports outside src: ${spec}`);
      else if (targetFolder !== folder && !allowed[folder].includes(targetFolder)) {
        problems.push(`${relative(root, file)}: '${folder}' may not import '${targetFolder}' (${spec})`);
      }
    } else {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if ((forbiddenPackages[folder] ?? []).includes(pkg)) {
        problems.push(`${relative(root, file)}: '${folder}' may not use package '${pkg}'`);
      }
    }
  }
}
// web/ runs in the browser: it reaches the server over HTTP only (DESIGN.md: the consoles are
// clients of the management API), so it may not import src/, scripts, tests or Node's modules.
// Side-effect imports (`import './styles.css'`) count too.
const webImportPattern = new RegExp(`${importPattern.source}|(?:^|\\n)\\s*import\\s+['"]([^'"]+)['"]`, 'g');
for (const file of existsSync(web) ? walk(web, ['.ts', '.tsx']) : []) {
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(webImportPattern)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec.startsWith('.')) {
      if (relative(web, resolve(dirname(file), spec)).startsWith('..')) problems.push(`${relative(root, file)}: web code may import only web/ and npm packages (${spec})`);
    } else if (spec.startsWith('node:') || spec.startsWith('/') || builtinModules.includes(spec.split('/')[0])) {
      problems.push(`${relative(root, file)}: web code runs in the browser and may not import '${spec}'`);
    }
  }
}
if (problems.length > 0) {
  console.error('Layout rule violations (docs/design.md, "Layout"):');
  for (const p of problems) console.error('  ' + p);
  process.exit(1);
}
console.log('layout: import rules hold');
