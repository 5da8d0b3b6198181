/** Writes the run's JSON record: bench/results/<YYYY-MM-DD>-<short commit>[-quick].json. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `record` into `dir` under the date and commit; a second run the same day gets `-2`, `-3`…; returns the path. */
export function writeResultsFile(dir: string, date: Date, commit: string, quick: boolean, record: object): string {
  mkdirSync(dir, { recursive: true });
  const base = `${date.toISOString().slice(0, 10)}-${commit}${quick ? '-quick' : ''}`;
  let path = join(dir, `${base}.json`);
  for (let n = 2; existsSync(path); n++) path = join(dir, `${base}-${n}.json`);
  writeFileSync(path, JSON.stringify(record, null, 2) + '\n');
  return path;
}
