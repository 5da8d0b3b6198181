// Whether dist/ (what bin/gatehouse.js and the end-to-end tests run) was built from the src/ and
// web/ that are there now. Each src/**/*.ts must have its dist/**/*.js, written no earlier than the
// source; tsconfig.json and package.json must be no newer than the oldest of those outputs. (tsc
// rewrites every output on each build, so an output older than its source is a build from before
// the edit.) Each console under web/<name>/ is bundled whole by scripts/build-web.mjs, which writes
// dist/web/<name>/manifest.json last: no file of the console, nor the build's settings, may be newer.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The build settings whose change can change every output. */
const buildSettings = ['tsconfig.json', 'package.json'];

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    // JSON data that src/ imports (Azure's definitions) is copied to dist/ by tsc, under the same name.
    else if ((entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) || entry.name.endsWith('.json')) out.push(path);
  }
  return out;
}

/**
 * Why dist/ under `root` is stale: one line per reason (at most `limit`), empty when it is fresh.
 * @param {string} root the repository root
 * @param {number} [limit]
 * @returns {string[]}
 */
export function staleBuildReasons(root, limit = 3) {
  return [...staleServerReasons(root, limit), ...staleWebReasons(root, limit)].slice(0, limit);
}

/** The settings whose change can change every console bundle. */
const webBuildSettings = ['tsconfig.web.json', 'package.json', 'scripts/build-web.mjs'];

function webFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...webFiles(path));
    else out.push(path);
  }
  return out;
}

/**
 * Why the console bundles in dist/web/ are stale (tsc does not build them; scripts/build-web.mjs does).
 * @param {string} root the repository root
 * @param {number} [limit]
 * @returns {string[]}
 */
export function staleWebReasons(root, limit = 3) {
  const reasons = [];
  const web = join(root, 'web');
  if (!existsSync(web)) return reasons;
  // web/shared/ is code both consoles bundle: an input of each, not a console of its own.
  const shared = existsSync(join(web, 'shared')) ? webFiles(join(web, 'shared')) : [];
  for (const entry of readdirSync(web, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'shared') continue;
    const manifest = join(root, 'dist', 'web', entry.name, 'manifest.json');
    if (!existsSync(manifest)) {
      reasons.push(`web/${entry.name} → ${relative(root, manifest)}: not built`);
      continue;
    }
    const built = statSync(manifest).mtimeMs;
    const inputs = [...webFiles(join(web, entry.name)), ...shared, ...webBuildSettings.map((s) => join(root, s)).filter((p) => existsSync(p))];
    const newer = inputs.find((path) => statSync(path).mtimeMs > built);
    if (newer) reasons.push(`${relative(root, newer)} → ${relative(root, manifest)}: changed after the build`);
    if (reasons.length >= limit) break;
  }
  return reasons;
}

/**
 * Why dist/'s server code (tsc's output) is stale.
 * @param {string} root the repository root
 * @param {number} [limit]
 * @returns {string[]}
 */
export function staleServerReasons(root, limit = 3) {
  const reasons = [];
  let oldestOutput = Infinity;
  for (const source of sourceFiles(join(root, 'src'))) {
    const output = join(root, 'dist', relative(join(root, 'src'), source)).replace(/\.ts$/, '.js');
    const shown = `${relative(root, source)} → ${relative(root, output)}`;
    if (!existsSync(output)) reasons.push(`${shown}: not built`);
    else {
      const built = statSync(output).mtimeMs;
      oldestOutput = Math.min(oldestOutput, built);
      if (statSync(source).mtimeMs > built) reasons.push(`${shown}: source changed after the build`);
    }
    if (reasons.length >= limit) return reasons;
  }
  for (const setting of buildSettings) {
    const path = join(root, setting);
    if (existsSync(path) && oldestOutput !== Infinity && statSync(path).mtimeMs > oldestOutput) {
      reasons.push(`${setting}: changed after the build`);
    }
  }
  return reasons.slice(0, limit);
}
