/**
 * PolicySequence runs synchronously while its steps do: no promise, no microtask turn for a
 * section whose policies never wait (the common inbound and outbound), and a promise from the
 * first step that waits on, with the order, the early stop and the failure locations kept.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyRuntimeError, type GatewayContext, type PolicyLocation } from '../../src/pipeline/gateway-context.js';
import { PolicySequence, type CompiledPolicy } from '../../src/pipeline/policy-sequence.js';
import type { PolicyStep } from '../../src/pipeline/policy-module.js';

function at(policy: string): PolicyLocation {
  return { policy, scope: 'api', section: 'inbound', path: policy };
}

function sequence(steps: Array<[string, PolicyStep]>): PolicySequence {
  return new PolicySequence(steps.map(([name, step]): CompiledPolicy => ({ step, location: at(name) })));
}

function fakeContext(): GatewayContext {
  return { responded: false } as GatewayContext;
}

describe('PolicySequence', () => {
  it('returns no promise when no step waits, having run every step in order', () => {
    const ran: string[] = [];
    const result = sequence([
      ['a', () => void ran.push('a')],
      ['b', () => void ran.push('b')],
    ]).run(fakeContext());
    assert.equal(result, undefined);
    assert.deepEqual(ran, ['a', 'b']);
  });

  it('returns a promise from the first step that waits, and runs the rest after it in order', async () => {
    const ran: string[] = [];
    const result = sequence([
      ['a', () => void ran.push('a')],
      ['b', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        ran.push('b');
      }],
      ['c', () => void ran.push('c')],
      ['d', async () => void ran.push('d')],
      ['e', () => void ran.push('e')],
    ]).run(fakeContext());
    assert.ok(result instanceof Promise);
    assert.deepEqual(ran, ['a'], 'the steps after the waiting one wait for it');
    await result;
    assert.deepEqual(ran, ['a', 'b', 'c', 'd', 'e']);
  });

  it('stops once a step answered, before or after a wait', async () => {
    const ran: string[] = [];
    const gw = fakeContext();
    sequence([
      ['a', (g) => void (g.responded = true)],
      ['b', () => void ran.push('b')],
    ]).run(gw);
    assert.equal(ran.length, 0);
    const later = fakeContext();
    await sequence([
      ['a', async (g) => void (g.responded = true)],
      ['b', () => void ran.push('b')],
    ]).run(later);
    assert.equal(ran.length, 0);
  });

  it('locates a failure at its policy, thrown synchronously or rejected after a wait', async () => {
    const sync = sequence([['set-header', () => { throw new Error('boom'); }]]);
    assert.throws(() => sync.run(fakeContext()), (err: PolicyRuntimeError) => err.location?.policy === 'set-header' && err.reason === 'PolicyExecutionFailure');
    const afterWait = sequence([
      ['a', async () => undefined],
      ['rate-limit', () => { throw new PolicyRuntimeError('rate-limit', 'RateLimitExceeded', 'too many', 429); }],
    ]);
    await assert.rejects(afterWait.run(fakeContext()) as Promise<void>, (err: PolicyRuntimeError) => err.location?.policy === 'rate-limit' && err.status === 429);
    const rejected = sequence([['forward-request', async () => { throw new Error('refused'); }]]);
    await assert.rejects(rejected.run(fakeContext()) as Promise<void>, (err: PolicyRuntimeError) => err.location?.policy === 'forward-request');
  });
});
