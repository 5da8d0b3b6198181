import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ScopedAsyncStorage } from '../../src/core/scoped-async-storage.js';

describe('ScopedAsyncStorage', () => {
  it('gives the value to everything a run starts, across awaits, and nothing outside', async () => {
    const storage = new ScopedAsyncStorage<string>();
    assert.equal(storage.current, undefined);
    const seen = await storage.run('outer', async () => {
      await new Promise((r) => setTimeout(r, 1));
      const inner = await storage.run('inner', async () => {
        await null;
        return storage.current;
      });
      return [storage.current, inner];
    });
    assert.deepEqual(seen, ['outer', 'inner']);
    assert.equal(storage.current, undefined);
  });

  it('keeps the value of a run in progress while an overlapping one ends', async () => {
    const storage = new ScopedAsyncStorage<number>();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const long = storage.run(1, async () => {
      await held;
      return storage.current;
    });
    await storage.run(2, async () => storage.current);
    release();
    assert.equal(await long, 1);
  });

  it('turns the process-wide promise hooks off once no run, transaction or wait branch is in progress', () => {
    // In a child process: node:test keeps the hooks on in this one.
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./promise-hooks-child.ts', import.meta.url))], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout.trim().split('\n').pop()!), {
      before: false,
      duringRun: true,
      afterRun: false,
      duringTransaction: true,
      afterTransaction: false,
      duringBranch: true,
      afterBranch: false,
    });
  });
});
