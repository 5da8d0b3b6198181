/**
 * Per-request state lives on the request's context (request-slot.ts). A WeakMap keyed by the
 * context (what several modules used before) kept each request's entries through V8's
 * young-generation collections: the gateway's heap grew by about 1.5 MB between scavenges and
 * each scavenge took three times as long under load (bench/README.md "Profile").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RequestSlot } from '../../src/pipeline/request-slot.js';
import { runPolicies } from '../helpers/policy-harness.js';

const emptyDocument = '<policies><inbound /><backend /><outbound /><on-error /></policies>';

test('a slot holds one value per request and per slot', async () => {
  const first = new RequestSlot<number>('first');
  const second = new RequestSlot<number>('first');
  const { gw } = await runPolicies({ api: emptyDocument });
  assert.equal(gw.slot(first), undefined);
  assert.equal(gw.setSlot(first, 1), 1);
  gw.setSlot(second, 2);
  assert.equal(gw.slot(first), 1, 'two slots with one name are still two slots');
  assert.equal(gw.slot(second), 2);
  const { gw: other } = await runPolicies({ api: emptyDocument });
  assert.equal(other.slot(first), undefined, 'slots are per request');
});

test('no module keeps per-request state in a WeakMap or WeakSet keyed by the request', () => {
  const root = new URL('../../src', import.meta.url).pathname;
  const perRequestKey = /new Weak(Map|Set)<\s*(GatewayContext|GatewayResponse|GatewayRequest|IncomingMessage|ServerResponse)\b/;
  const offenders: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (name.endsWith('.ts') && perRequestKey.test(readFileSync(path, 'utf8'))) offenders.push(relative(root, path));
    }
  };
  visit(root);
  assert.deepEqual(offenders, [], 'use a RequestSlot (src/pipeline/request-slot.ts): WeakMap entries outlive scavenges');
});
