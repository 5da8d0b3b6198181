/**
 * The reader of the option tables (command-options.ts): command line first, then the
 * `GATEHOUSE_*` twin, and every value knows where it came from so a message can name it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { helpOption, readCommandLine, UsageError, type CommandTable } from '../../src/main/command-options.js';

const table: CommandTable = {
  name: 'try',
  summary: 'a command for the test',
  positionals: [{ name: 'DIR', description: 'the folder' }],
  built: true,
  options: [
    { name: 'port', kind: 'value', valueName: 'N', environment: true, description: 'a port' },
    { name: 'mode', kind: 'value', valueName: 'M', environment: false, description: 'no twin' },
    { name: 'watch', kind: 'switch', environment: true, description: 'a switch' },
    { name: 'cert', kind: 'list', valueName: 'C', environment: true, environmentSeparator: ';', description: 'a list' },
    helpOption,
  ],
};

describe('readCommandLine', () => {
  it('takes the command line first, then the environment twin, and says which', () => {
    const env = { GATEHOUSE_PORT: '9000', GATEHOUSE_MODE: 'replace' };
    const fromEnv = readCommandLine(table, ['dir'], env);
    assert.equal(fromEnv.text('port'), '9000');
    assert.equal(fromEnv.source('port'), 'GATEHOUSE_PORT');
    // An option without a twin ignores the variable of the same name.
    assert.equal(fromEnv.text('mode'), undefined);
    const fromArgs = readCommandLine(table, ['dir', '--port', '81'], env);
    assert.equal(fromArgs.text('port'), '81');
    assert.equal(fromArgs.source('port'), '--port');
    // An empty variable counts as unset.
    assert.equal(readCommandLine(table, ['dir'], { GATEHOUSE_PORT: '' }).text('port'), undefined);
  });

  it('reads switches and lists from their twins, and names the variable of a bad switch', () => {
    assert.equal(readCommandLine(table, ['d'], { GATEHOUSE_WATCH: 'yes' }).switchOn('watch'), true);
    assert.equal(readCommandLine(table, ['d'], { GATEHOUSE_WATCH: '0' }).switchOn('watch'), false);
    assert.throws(() => readCommandLine(table, ['d'], { GATEHOUSE_WATCH: 'sometimes' }).switchOn('watch'), (err: Error) => err instanceof UsageError && err.message === "Invalid GATEHOUSE_WATCH 'sometimes': expected true or false.");
    assert.deepEqual(readCommandLine(table, ['d'], { GATEHOUSE_CERT: 'a;b;' }).list('cert'), ['a', 'b']);
    assert.deepEqual(readCommandLine(table, ['d', '--cert', 'x', '--cert', 'y'], { GATEHOUSE_CERT: 'a' }).list('cert'), ['x', 'y']);
  });

  it('refuses unknown options, a missing or an extra argument with a usage error', () => {
    assert.throws(() => readCommandLine(table, ['d', '--nope'], {}), (err: Error) => err instanceof UsageError && err.message === "Unknown option '--nope'.");
    assert.throws(() => readCommandLine(table, [], {}), (err: Error) => err instanceof UsageError && err.message === 'the folder (DIR) is missing');
    assert.throws(() => readCommandLine(table, ['a', 'b'], {}), (err: Error) => err instanceof UsageError && err.message === "unexpected argument 'b'");
  });

  it('answers --help and -h before checking the arguments', () => {
    assert.equal(readCommandLine(table, ['--help'], {}).help, true);
    assert.equal(readCommandLine(table, ['-h', 'a', 'b'], {}).help, true);
  });

  it('will not read an option its table lacks', () => {
    assert.throws(() => readCommandLine(table, ['d'], {}).text('colour'), /has no value option --colour/);
  });
});
