/**
 * The configuration folder watcher on a real temp folder, in both modes: one watch per folder
 * (folders created later are watched too, dot files are ignored, a burst of writes is one
 * change) and the polling fallback.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { watchConfigFolder, type ConfigWatcherOptions } from '../../src/main/config-watcher.js';

const logger = createLogger('silent');

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-watch-'));
  mkdirSync(join(dir, 'apis', 'a', 'operations', 'op'), { recursive: true });
  writeFileSync(join(dir, 'policy.xml'), '<policies />');
  writeFileSync(join(dir, 'apis', 'a', 'operations', 'op', 'policy.xml'), '<policies />');
  return dir;
}

/** Counts debounced changes; `next()` resolves at the next one (bounded wait). */
function counter() {
  let count = 0;
  let waiters: Array<() => void> = [];
  return {
    onChange: () => {
      count++;
      for (const w of waiters) w();
      waiters = [];
    },
    get count() {
      return count;
    },
    next(ms = 10_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no change reported')), ms);
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}

const modes: Array<[string, ConfigWatcherOptions]> = [
  ['folder watches', { debounceMs: 30 }],
  ['polling', { debounceMs: 30, forcePolling: true, pollMs: 50 }],
];

for (const [name, options] of modes) {
  describe(`config watcher (${name})`, () => {
    it('reports a change to a file deep in the tree', async () => {
      const dir = tree();
      const c = counter();
      const w = watchConfigFolder(dir, c.onChange, logger, options);
      try {
        await w.ready;
        assert.equal(w.mode, options.forcePolling ? 'poll' : 'watch');
        const next = c.next();
        writeFileSync(join(dir, 'apis', 'a', 'operations', 'op', 'policy.xml'), '<policies><inbound /></policies>');
        await next;
      } finally {
        w.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('watches folders created after it started, and their files', async () => {
      const dir = tree();
      const c = counter();
      const w = watchConfigFolder(dir, c.onChange, logger, options);
      try {
        await w.ready;
        let next = c.next();
        mkdirSync(join(dir, 'apis', 'b', 'operations', 'op2'), { recursive: true });
        writeFileSync(join(dir, 'apis', 'b', 'operations', 'op2', 'policy.xml'), '<policies />');
        await next;
        // Let the new folders' watches settle: a change after that must still be seen.
        const deadline = Date.now() + 10_000;
        let seen = false;
        while (!seen && Date.now() < deadline) {
          next = c.next(500);
          writeFileSync(join(dir, 'apis', 'b', 'operations', 'op2', 'policy.xml'), `<policies><!-- ${Date.now()} --></policies>`);
          seen = await next.then(() => true, () => false);
        }
        assert.ok(seen, 'a change inside a folder created later was not reported');
      } finally {
        w.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

describe('config watcher (folder watches)', () => {
  it('ignores dot files and reports a burst of writes as one change', async () => {
    const dir = tree();
    const c = counter();
    const w = watchConfigFolder(dir, c.onChange, logger, { debounceMs: 200, maxDelayMs: 5000 });
    try {
      await w.ready;
      writeFileSync(join(dir, '.policy.xml.swp'), 'x');
      writeFileSync(join(dir, 'apis', 'a', '.editor'), 'x');
      await assert.rejects(c.next(500), 'a dot file is not configuration');
      const next = c.next();
      for (let i = 0; i < 20; i++) writeFileSync(join(dir, 'policy.xml'), `<policies><!-- ${i} --></policies>`);
      await next;
      // A second change is reported separately, so the count proves the burst was one change.
      const second = c.next();
      writeFileSync(join(dir, 'apis', 'a', 'operations', 'op', 'policy.xml'), '<policies><outbound /></policies>');
      await second;
      assert.equal(c.count, 2);
    } finally {
      w.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops reporting after close', async () => {
    const dir = tree();
    const c = counter();
    const w = watchConfigFolder(dir, c.onChange, logger, { debounceMs: 10 });
    await w.ready;
    w.close();
    writeFileSync(join(dir, 'policy.xml'), '<policies><!-- closed --></policies>');
    await assert.rejects(c.next(300));
    rmSync(dir, { recursive: true, force: true });
  });
});
