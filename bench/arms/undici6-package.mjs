// Where undici 6 is for the `gatehouse-typical-undici6` bench arm, and the line its resolve hook
// prints when it hands undici 6 to a gateway module. Plain JavaScript: the hook runs in
// Gatehouse's own process (node --import), which has no TypeScript loader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The npm alias undici 6 is installed under beside the product's undici 7. */
export const undici6Alias = 'undici6';

/** For a check without the alias installed: a folder holding undici 6's package.json. */
export const undici6DirVariable = 'GATEHOUSE_BENCH_UNDICI6_DIR';

const installHint = `npm install -D ${undici6Alias}@npm:undici@^6 (or set ${undici6DirVariable} to an undici 6 package folder)`;

/**
 * undici 6's entry file and version, as resolved from the repository at `root` (or the folder
 * in GATEHOUSE_BENCH_UNDICI6_DIR). Throws saying how to install it when it is missing or is not
 * major version 6.
 */
export function locateUndici6(root) {
  const override = process.env[undici6DirVariable];
  let manifest;
  try {
    manifest = override ? join(override, 'package.json') : createRequire(join(root, 'package.json')).resolve(`${undici6Alias}/package.json`);
  } catch {
    throw new Error(`undici 6 is not installed as '${undici6Alias}' under ${root}: ${installHint}`);
  }
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read undici 6's ${manifest}: ${err.message}; ${installHint}`);
  }
  if (pkg.name !== 'undici' || !/^6\./.test(pkg.version ?? '')) {
    throw new Error(`${manifest} is ${pkg.name}@${pkg.version}, not undici 6: ${installHint}`);
  }
  const entry = createRequire(manifest).resolve(dirname(manifest));
  return { version: pkg.version, entryUrl: pathToFileURL(entry).href };
}

/** Whether undici 6 can be located from `root`. */
export function undici6Installed(root) {
  try {
    locateUndici6(root);
    return true;
  } catch {
    return false;
  }
}

const linePattern = /^undici6-hook: pid (\d+) imports undici (\S+) into (\S+)$/;

/** The line the hook prints the first time a process's gateway code imports `undici`. */
export function redirectLine(pid, version, importer) {
  return `undici6-hook: pid ${pid} imports undici ${version} into ${importer}`;
}

/** The pid, undici version and importing module a redirect line names; null for any other line. */
export function parseRedirectLine(line) {
  const m = linePattern.exec(line);
  return m ? { pid: Number(m[1]), version: m[2], importer: m[3] } : null;
}
