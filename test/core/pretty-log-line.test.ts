/** The readable log format (logger.ts prettyLogLine): pino's JSON line as one short line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prettyLogLine } from '../../src/core/logger.js';

describe('prettyLogLine', () => {
  it('writes the local time, the level, the message and the fields as key=value', () => {
    const time = '2026-01-02T03:04:05.678Z';
    const line = prettyLogLine(JSON.stringify({ level: 40, time, msg: 'the store was empty', keyPath: '/data/encryption.key', count: 3 }) + '\n');
    assert.equal(line, `${new Date(time).toTimeString().slice(0, 8)} warn  the store was empty  keyPath=/data/encryption.key count=3\n`);
  });

  it('quotes text with spaces and shows an error by its message', () => {
    const line = prettyLogLine(JSON.stringify({ level: 50, time: '2026-01-02T03:04:05Z', msg: 'reload failed', folder: 'my apis', err: { type: 'Error', message: 'bad file', stack: 'Error: bad file\n    at x' } }));
    assert.match(line, / error reload failed {2}folder="my apis" err="bad file"\n$/);
    assert.doesNotMatch(line, /at x/);
  });

  it('keeps a line that is not a JSON object as it is', () => {
    assert.equal(prettyLogLine('plain text\n'), 'plain text\n');
    assert.equal(prettyLogLine('[1,2]\n'), '[1,2]\n');
  });
});
