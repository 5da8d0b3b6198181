/** Small APIOps folders written from a map of files, in temporary folders removed after the test file. */
import { after } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A writer of folders named `<prefix>…`; every folder it made is removed when the test file ends. */
export function jsonFolders(prefix: string): (files: Record<string, unknown>) => string {
  const made: string[] = [];
  after(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return (files) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    for (const [path, value] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), JSON.stringify(value, null, 2));
    }
    return dir;
  };
}
