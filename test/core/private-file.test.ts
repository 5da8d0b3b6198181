/** core/private-file.ts: which modes a secret file may have, for which reader, and what the refusal says. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPrivateFile, PrivateFileModeError, privateFileProblem, type Reader } from '../../src/core/private-file.js';

const linuxUser: Reader = { platform: 'linux', uid: 1000 };
const linuxRoot: Reader = { platform: 'linux', uid: 0 };
const problem = (mode: number, owner: number, reader = linuxUser): string | undefined => privateFileProblem({ mode: 0o100000 | mode, uid: owner }, '/k', 'test key', reader);

describe('privateFileProblem', () => {
  it('accepts owner-only modes', () => {
    for (const mode of [0o600, 0o400, 0o700]) assert.equal(problem(mode, 1000), undefined, mode.toString(8));
  });

  it('refuses any group or other access, naming the file, the mode and the fix', () => {
    assert.equal(problem(0o644, 1000), 'the test key file /k is readable by others (mode 0644): run chmod 600 /k');
    assert.equal(problem(0o640, 1000), 'the test key file /k is readable by its group (mode 0640): run chmod 600 /k');
    assert.equal(problem(0o620, 1000), 'the test key file /k is writable by its group (mode 0620): run chmod 600 /k');
    assert.equal(problem(0o602, 1000), 'the test key file /k is writable by others (mode 0602): run chmod 600 /k');
  });

  it('lets a non-root process read a root-owned group-readable key, as PostgreSQL does', () => {
    assert.equal(problem(0o640, 0), undefined);
    assert.equal(problem(0o440, 0), undefined);
    assert.match(problem(0o660, 0) ?? '', /readable by its group \(mode 0660\)/, 'group write is never allowed');
    assert.match(problem(0o644, 0) ?? '', /readable by others/);
    assert.match(problem(0o640, 0, linuxRoot) ?? '', /readable by its group/, 'root itself gets no exception');
  });

  it('does not judge modes on Windows', () => {
    assert.equal(problem(0o666, 1000, { platform: 'win32', uid: undefined }), undefined);
  });

  it('checkPrivateFile stats the real file', { skip: process.platform === 'win32' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-private-'));
    try {
      const path = join(dir, 'key');
      writeFileSync(path, 'k', { mode: 0o600 });
      checkPrivateFile(path, 'test key');
      chmodSync(path, 0o604);
      assert.throws(() => checkPrivateFile(path, 'test key'), (err: unknown) => err instanceof PrivateFileModeError && err.message.includes(`run chmod 600 ${path}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
