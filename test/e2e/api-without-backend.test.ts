/**
 * An API without serviceUrl whose policies choose no backend, called through a real
 * `gatehouse start` process: the gateway answers Azure's 500 at once. Before, it sent the call
 * to the caller's URL, that is back into itself, hop after hop, each waiting on the next, so
 * the caller never got an answer (found as a hanging docs example; a loop any caller could start).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';

const service = '/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/gatehouse';

describe('an API with no backend (real process)', { timeout: 120_000 }, () => {
  let gh: GatehouseProcess;
  let management: string;
  let token: string;
  const put = async (path: string, properties: unknown) => {
    const res = await fetch(`${management}${service}/${path}?api-version=2024-05-01`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties }),
    });
    assert.ok(res.status === 200 || res.status === 201, `PUT ${path}: ${res.status} ${await res.text()}`);
  };

  before(async () => {
    gh = await startGatehouseProcess(['--access-log', 'stdout'], { env: { GATEHOUSE_LOG_LEVEL: 'info' } });
    const out = gh.stdout.join('\n');
    management = /management API \(http\): (\S+)/.exec(out)![1]!;
    token = readFileSync(/admin token file: (\S+)/.exec(out)![1]!, 'utf8').trim();
    await put('apis/nowhere', { displayName: 'Nowhere', path: 'nowhere', protocols: ['http'], subscriptionRequired: false });
    await put('apis/nowhere/operations/get', { displayName: 'Get', method: 'GET', urlTemplate: '/thing' });
  });
  after(async () => {
    await gh?.stop();
  });

  it('answers 500 Internal server error without calling itself', async () => {
    // The gateway follows the store within a second or so; until then the path is a 404.
    let res: Response | undefined;
    for (let attempt = 0; attempt < 60; attempt++) {
      res = await fetch(`${gh.gatewayUrl}/nowhere/thing`, { signal: AbortSignal.timeout(20_000) });
      if (res.status !== 404) break;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(res!.status, 500);
    assert.equal(((await res!.json()) as { message: string }).message, 'Internal server error');
    // Exactly one request reached the gateway on that path with a 500: none was sent back into it.
    let lines: string[] = [];
    for (let i = 0; i < 40; i++) {
      lines = gh.stdout.filter((l) => l.includes('"path":"/nowhere/thing"') && l.includes('"status":500'));
      if (lines.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /BackendConnectionFailure/);
  });
});
