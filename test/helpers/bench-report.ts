/**
 * For the benchmark's own tests: runs `bench/run.ts` as a child (as `npm run bench` does) and
 * reads the Markdown tables of its report.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const repositoryRoot = new URL('../..', import.meta.url).pathname;

export function runBench(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'bench/run.ts'), ...args], { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The rows of the Markdown table under `### <title prefix>`: cells per row, header excluded. */
export function tableRows(markdown: string, titlePrefix: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`### ${titlePrefix}`));
  assert.notEqual(start, -1, `no table '${titlePrefix}' in:\n${markdown}`);
  const rows: string[][] = [];
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('### '); i++) {
    const line = lines[i]!;
    if (!line.startsWith('|')) continue;
    rows.push(line.slice(1, -1).split(' | ').map((c) => c.trim()));
  }
  assert.ok(rows.length >= 2, `table '${titlePrefix}' is empty`);
  return rows.slice(2);
}

/** The number a cell starts with (thousands separators allowed), NaN when it starts with none. */
export const numberAtStart = (cell: string | undefined): number => Number(/^-?[\d,]+(?:\.\d+)?/.exec(cell ?? '')?.[0]?.replace(/,/g, '') ?? NaN);
