/**
 * Copies a fixture folder into a temporary folder, replacing placeholders in every file: a
 * fixture names its backends by placeholder host names and the test puts in the loopback
 * servers it started, whose ports are known only at run time.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every file below `dir` (absolute paths). */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Returns the copy's path; each key of `replacements` is replaced by its value everywhere. */
export function copyFixtureReplacing(fixture: string, replacements: Record<string, string>): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'gatehouse-fixture-')), 'folder');
  cpSync(fixture, copy, { recursive: true });
  for (const file of filesBelow(copy)) {
    const text = readFileSync(file, 'utf8');
    let replaced = text;
    for (const [placeholder, value] of Object.entries(replacements)) replaced = replaced.replaceAll(placeholder, value);
    if (replaced !== text) writeFileSync(file, replaced);
  }
  return copy;
}
