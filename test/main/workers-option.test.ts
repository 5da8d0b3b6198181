/**
 * `--workers` (GATEHOUSE_WORKERS): one gateway process per core unless told otherwise, with `1`
 * and `0` still given as asked, and the help naming the count this machine gets.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { helpText } from '../../src/main/command-options.js';
import { defaultWorkerCount, parseStartOptions, startCommand } from '../../src/main/start-options.js';

describe('--workers', () => {
  it('defaults to the number of cores this process may run on', () => {
    assert.equal(parseStartOptions([], {}).workers, availableParallelism());
    assert.equal(defaultWorkerCount(), availableParallelism());
  });

  it('keeps the default within 1 to 256 gateway processes', () => {
    assert.equal(defaultWorkerCount(64), 64);
    assert.equal(defaultWorkerCount(512), 256);
    assert.equal(defaultWorkerCount(0), 1);
  });

  it('runs one gateway process, or none apart, when asked, from the flag or the environment', () => {
    assert.equal(parseStartOptions(['--workers', '1'], {}).workers, 1);
    assert.equal(parseStartOptions(['--workers', '0'], {}).workers, 0);
    assert.equal(parseStartOptions([], { GATEHOUSE_WORKERS: '1' }).workers, 1);
    assert.equal(parseStartOptions(['--workers', '3'], { GATEHOUSE_WORKERS: '1' }).workers, 3, 'the command line wins');
  });

  it("names the default and this machine's count in the help", () => {
    assert.match(helpText(startCommand), new RegExp(`--workers N .*\\n(?: .*\\n)*? +default one per core \\(${availableParallelism()} here\\); env GATEHOUSE_WORKERS`));
  });
});
