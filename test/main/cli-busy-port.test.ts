/**
 * `start` on a taken port: the message names the option (or the environment variable) that gave
 * the port, and nothing is written, not even the data folder, so a fresh store stays fresh.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGatehouse } from '../e2e/helpers/gatehouse-process.js';

let holder: Server;
let taken: number;
before(async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  taken = (holder.address() as { port: number }).port;
});
after(() => new Promise<void>((resolve) => holder.close(() => resolve())));

/** A data folder path that does not exist yet. */
function freshDataPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'gatehouse-busy-')), 'data');
}

describe('start on a taken port', () => {
  it('names --gateway-port and writes nothing', async () => {
    const data = freshDataPath();
    const run = await runGatehouse(['start', '--data', data, '--gateway-port', String(taken)]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trim().split('\n').pop(), `gatehouse start: Port ${taken} on 127.0.0.1 is already in use (--gateway-port).`);
    assert.equal(existsSync(data), false, 'the data folder (and the sample in a new store) was written before the failure');
  });

  it('names GATEHOUSE_GATEWAY_PORT when the port came from it', async () => {
    const run = await runGatehouse(['start', '--data', freshDataPath()], { GATEHOUSE_GATEWAY_PORT: String(taken) });
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`Port ${taken} on 127\\.0\\.0\\.1 is already in use \\(GATEHOUSE_GATEWAY_PORT\\)\\.`));
  });

  it('names --management-https-port for the management listener', async () => {
    const data = freshDataPath();
    const run = await runGatehouse(['start', '--data', data, '--gateway-port', '0', '--management-https-port', String(taken)]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`Port ${taken} on 127\\.0\\.0\\.1 is already in use \\(--management-https-port\\)\\.`));
    assert.equal(existsSync(data), false);
  });
});
