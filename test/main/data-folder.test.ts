/** main/data-folder.ts: a new data folder is 0700; an existing one others may enter is kept and reported. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataFolder } from '../../src/main/data-folder.js';

describe('prepareDataFolder', { skip: process.platform === 'win32' ? 'modes say nothing on Windows' : false }, () => {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-datafolder-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const modeOf = (path: string): number => statSync(path).mode & 0o777;

  it('creates a missing folder, and its missing parents, with mode 0700', () => {
    const dir = join(root, 'new', 'nested');
    assert.equal(prepareDataFolder(dir), undefined);
    assert.equal(modeOf(dir), 0o700);
    assert.equal(modeOf(join(root, 'new')), 0o700);
  });

  it('keeps an existing folder others may enter and says how to tighten it', () => {
    const dir = join(root, 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o750);
    assert.equal(prepareDataFolder(dir), `the data folder ${dir} is open to its group (mode 0750); run chmod 700 ${dir}`);
    chmodSync(dir, 0o705);
    assert.match(prepareDataFolder(dir) ?? '', /open to others \(mode 0705\)/);
    assert.equal(modeOf(dir), 0o705, 'left as the operator set it');
    chmodSync(dir, 0o700);
    assert.equal(prepareDataFolder(dir), undefined);
  });
});
