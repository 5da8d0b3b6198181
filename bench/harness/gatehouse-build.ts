/** Makes sure dist/ (what `gatehouse start` runs) is not older than src/, building it when it is. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { staleBuildReasons } from '../../scripts/dist-freshness.mjs';
import { runToCompletion } from './process-launcher.js';

let checked: Promise<void> | null = null;

/**
 * Runs `npm run build` when dist/ is stale by the test runner's own rule (scripts/dist-freshness.mjs:
 * an output missing or older than its source, or build settings newer than the build). Checked
 * once per run: every Gatehouse process of a run then measures the same build.
 */
export function ensureGatehouseBuilt(root: string, log: (line: string) => void): Promise<void> {
  checked ??= buildIfStale(root, log);
  return checked;
}

async function buildIfStale(root: string, log: (line: string) => void): Promise<void> {
  const cli = join(root, 'dist', 'main', 'cli.js');
  const reasons = staleBuildReasons(root);
  if (reasons.length === 0) return;
  log(`building Gatehouse (npm run build), dist/ is older than src/:\n  ${reasons.join('\n  ')}`);
  const result = await runToCompletion(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root });
  if (result.code !== 0) {
    // tsc still emits on type errors; a tree mid-edit can be measured, but say so.
    if (!existsSync(cli)) throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`);
    log(`warning: npm run build reported errors; measuring the emitted dist/ anyway:\n${result.stdout.slice(-2000)}`);
  }
}
