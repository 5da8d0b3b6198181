/**
 * `start`'s banner says what the store holds in plain words ("1 API") and, when the store has
 * no sample key to print, how to get a subscription key: both ways it names are run here. With
 * no `--workers` it names one gateway process per core.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiInformation, openApi, writeApiopsFolder } from '../e2e/helpers/apiops-writer.js';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';

const running: GatehouseProcess[] = [];
after(() => Promise.all(running.map((p) => p.stop())));

/** The pids of the gateway processes the banner names. */
function gatewayPids(banner: string[]): number[] {
  const line = banner.find((l) => l.startsWith('  gateway process: pid ') || l.startsWith('  workers: '));
  assert.ok(line, banner.join('\n'));
  const pids = /\(pids ([\d, ]+)\)/.exec(line)?.[1] ?? /^ {2}gateway process: pid (\d+)/.exec(line)?.[1];
  assert.ok(pids, line);
  return pids.split(', ').map(Number);
}

describe('start banner', () => {
  /** `gatehouse start` with every default, the worker count included (the tests' helper asks for one). */
  let defaults: GatehouseProcess;
  before(async () => {
    defaults = await startGatehouseProcess([], { env: { GATEHOUSE_WORKERS: undefined } });
    running.push(defaults);
  });

  it('counts the sample store, one API and one subscription in the singular', () => {
    assert.ok(defaults.stdout.includes('  gateway configuration: the store (1 API, 2 products, 1 subscription); changes apply live'), defaults.stdout.join('\n'));
  });

  it('names one gateway process per core by default, none of them the start process', () => {
    const pids = gatewayPids(defaults.stdout);
    assert.equal(pids.length, availableParallelism(), defaults.stdout.join('\n'));
    assert.equal(new Set(pids).size, pids.length);
    assert.ok(!pids.includes(defaults.child.pid!));
  });

  it('tells how to read subscription keys when the store has no sample', async () => {
    const folder = writeApiopsFolder({
      'apis/k/apiInformation.json': apiInformation({ displayName: 'K', path: 'k', serviceUrl: 'http://127.0.0.1:9', subscriptionRequired: true }),
      'apis/k/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
      'subscriptions/s1/subscriptionInformation.json': { properties: { displayName: 'S1', scope: '/apis/k', state: 'active' } },
    });
    const data = mkdtempSync(join(tmpdir(), 'gatehouse-nosample-'));
    const imported = await runGatehouse(['import', folder, '--data', data]);
    assert.equal(imported.code, 0, imported.stderr);
    const gh = await startGatehouseProcess(['--data', data]);
    running.push(gh);
    const banner = gh.stdout.join('\n');
    assert.doesNotMatch(banner, /sample subscription key/);

    // The management API call, as printed, with the token from the printed file.
    const call = /curl -X POST -H "Authorization: Bearer \$\(cat (\S+)\)" "(\S+)"/.exec(banner);
    assert.ok(call, banner);
    const [, tokenFile, url] = call;
    const res = await fetch(url!.replace('<sid>', 's1'), { method: 'POST', headers: { Authorization: `Bearer ${readFileSync(tokenFile!, 'utf8').trim()}` } });
    assert.equal(res.status, 200);
    const { primaryKey } = (await res.json()) as { primaryKey: string };
    assert.match(primaryKey, /^\w{16,}$/);

    // The export, as printed, writes the same key.
    const exportLine = /or write them all into a new folder: gatehouse (export <new folder> .*)$/m.exec(banner);
    assert.ok(exportLine, banner);
    const out = join(mkdtempSync(join(tmpdir(), 'gatehouse-keys-')), 'out');
    const exported = await runGatehouse(exportLine[1]!.replace('<new folder>', out).split(' '));
    assert.equal(exported.code, 0, exported.stderr);
    assert.deepEqual(readdirSync(join(out, 'subscriptions')), ['s1']);
    assert.match(readFileSync(join(out, 'subscriptions', 's1', 'subscriptionInformation.json'), 'utf8'), new RegExp(primaryKey));
  });
});
