/** `gatehouse --version`, `gatehouse --help` and `--help` on every command, run as the installed CLI. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runGatehouse } from '../e2e/helpers/gatehouse-process.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('gatehouse --help and --version', () => {
  it('prints the version of package.json', async () => {
    const run = await runGatehouse(['--version']);
    assert.deepEqual(run, { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists the commands, none marked as not built', async () => {
    const run = await runGatehouse(['--help']);
    assert.equal(run.code, 0);
    for (const command of ['start', 'import', 'export', 'trace', 'gateway']) assert.match(run.stdout, new RegExp(`^  ${command} +[A-Z]`, 'm'));
    assert.doesNotMatch(run.stdout, /not built yet/);
  });

  for (const args of [['start', '--help'], ['import', '--help'], ['export', '-h'], ['gateway', '--help'], ['help', 'start']]) {
    it(`gatehouse ${args.join(' ')} prints the command's help and exits 0`, async () => {
      const run = await runGatehouse(args);
      const command = args[0] === 'help' ? args[1]! : args[0]!;
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^Usage: gatehouse ${command}\\b`, 'm'));
      assert.match(run.stdout, /^ {2}-h, --help/m);
      assert.equal(run.stderr, '');
    });
  }

  it('refuses a gateway command without its token, and says which option is missing', async () => {
    const run = await runGatehouse(['gateway', '--management-url', 'http://x'], { GATEHOUSE_GATEWAY_TOKEN: '' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^gatehouse gateway: --gateway-token \(or GATEHOUSE_GATEWAY_TOKEN\) is required/);
  });

  it('points a usage error at the command help', async () => {
    const run = await runGatehouse(['import', '--nope']);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "gatehouse import: Unknown option '--nope'.\nUsage: gatehouse import APIOPS_DIR [options]\nRun 'gatehouse import --help' for the options.\n");
  });
});
