/**
 * `start`'s log lines where no person reads them (stderr is a pipe): JSON by default, readable
 * lines when asked with --log-format pretty. The access log stays JSON either way.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';

const running: GatehouseProcess[] = [];
after(() => Promise.all(running.map((p) => p.stop())));

async function start(args: string[]): Promise<GatehouseProcess> {
  const gh = await startGatehouseProcess(args, { env: { GATEHOUSE_LOG_LEVEL: 'info' } });
  running.push(gh);
  return gh;
}

function logLines(gh: GatehouseProcess): string[] {
  return gh.stderr.join('').split('\n').filter((line) => line !== '');
}

describe('log format off a terminal', () => {
  it('writes JSON lines by default', async () => {
    const gh = await start([]);
    const lines = logLines(gh);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.equal(typeof (JSON.parse(line) as { msg?: unknown }).msg, 'string', line);
  });

  it('writes readable lines with --log-format pretty, and keeps the access log JSON', async () => {
    const gh = await start(['--log-format', 'pretty']);
    const lines = logLines(gh);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.match(line, /^\d\d:\d\d:\d\d info  \S/);
    const res = await fetch(`${gh.gatewayUrl}/nothing-here`);
    await res.arrayBuffer();
    const access = await new Promise<string>((resolve) => {
      const seen = () => gh.stdout.find((line) => line.startsWith('{'));
      const found = seen();
      if (found) return resolve(found);
      gh.child.stdout!.on('data', () => {
        const line = seen();
        if (line) resolve(line);
      });
    });
    assert.equal((JSON.parse(access) as { status?: unknown }).status, 404);
  });
});
