/** Makes sure dist/ (what `gatehouse start` runs) is not older than src/, building it when it is. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runToCompletion } from './process-launcher.js';

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

let checked: Promise<void> | null = null;

/**
 * Runs `npm run build` when dist/main/cli.js is missing or older than a file of src/. Checked
 * once per run: every Gatehouse process of a run then measures the same build.
 */
export function ensureGatehouseBuilt(root: string, log: (line: string) => void): Promise<void> {
  checked ??= buildIfStale(root, log);
  return checked;
}

async function buildIfStale(root: string, log: (line: string) => void): Promise<void> {
  const cli = join(root, 'dist', 'main', 'cli.js');
  if (existsSync(cli) && statSync(cli).mtimeMs >= newestSourceMtime(join(root, 'src'))) return;
  log('building Gatehouse (npm run build): dist/ is missing or older than src/');
  const result = await runToCompletion(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root });
  if (result.code !== 0) {
    // tsc still emits on type errors; a tree mid-edit can be measured, but say so.
    if (!existsSync(cli)) throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`);
    log(`warning: npm run build reported errors; measuring the emitted dist/ anyway:\n${result.stdout.slice(-2000)}`);
  }
}
