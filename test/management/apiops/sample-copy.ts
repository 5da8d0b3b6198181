/** Test helper: a writable copy of the sample APIOps folder in a temp dir, served through the import (import-served.ts), and error assertions. */
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigFolderError } from '../../../src/management/apiops/config-folder-error.js';
import { importAndServe, type ServedFolder } from './import-served.js';

export const sampleFolder = fileURLToPath(new URL('../../fixtures/apiops/sample', import.meta.url));

export interface SampleCopy {
  dir: string;
  write(relative: string, text: string): Promise<void>;
  writeJson(relative: string, value: unknown): Promise<void>;
  /** Reads a JSON file of the copy, lets `change` edit it, writes it back. */
  editJson(relative: string, change: (doc: { properties: Record<string, unknown>; [k: string]: unknown }) => void): Promise<void>;
  remove(relative: string): Promise<void>;
  /** Imports the copy into a fresh store and reads back what the gateway serves. */
  load(log?: (line: string) => void): Promise<ServedFolder>;
  dispose(): Promise<void>;
}

/** Copies the sample folder into a fresh temp dir. */
export async function copySample(): Promise<SampleCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-apiops-'));
  await cp(sampleFolder, dir, { recursive: true });
  const write = async (relative: string, text: string): Promise<void> => {
    await mkdir(dirname(join(dir, relative)), { recursive: true });
    await writeFile(join(dir, relative), text);
  };
  return {
    dir,
    write,
    writeJson: (relative, value) => write(relative, JSON.stringify(value, null, 2)),
    async editJson(relative, change) {
      const doc = JSON.parse(await readFile(join(dir, relative), 'utf8'));
      change(doc);
      await write(relative, JSON.stringify(doc, null, 2));
    },
    remove: (relative) => rm(join(dir, relative), { recursive: true, force: true }),
    load: (log = () => {}) => importAndServe(dir, log),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Asserts that the import fails with a ConfigFolderError for `file` whose reason matches. */
export async function assertLoadError(copy: SampleCopy, file: string, reason: RegExp): Promise<void> {
  await assert.rejects(copy.load(), (err: unknown) => {
    assert.ok(err instanceof ConfigFolderError, `expected ConfigFolderError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.match(err.reason, reason);
    assert.equal(err.message, `${file}: ${err.reason}`);
    return true;
  });
}
