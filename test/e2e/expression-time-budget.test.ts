/**
 * `--expression-time-budget` reaches every expression the gateway runs, in the start process
 * (`--workers 0`) and in gateway processes (`--workers 2`; any other count is started alike): a
 * policy expression that never ends fails with the budget it was given, and
 * `context.LastError.Message` (copied into a header by on-error) names that budget.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies, setHeader } from './helpers/policy-e2e-support.js';

// Each turn hashes 330 kB, so the time budget ends the loop long before the step budget would.
const endless = `@{ var data = Encoding.UTF8.GetBytes(new string('x', 330000)); while (true) { SHA512.HashData(data); } return "never"; }`;

let backend: EchoBackend;
let configDir: string;

before(async () => {
  backend = await startEchoBackend();
  configDir = writeApiopsFolder({
    'apis/spin/apiInformation.json': apiInformation({ displayName: 'Spin', path: 'spin', serviceUrl: backend.url, subscriptionRequired: false }),
    'apis/spin/specification.json': openApi([{ method: 'GET', path: '/forever', operationId: 'forever' }]),
    'apis/spin/operations/forever/policy.xml': policies({
      inbound: `<base />${setHeader('x-spin', 'override', endless)}`,
      onError: `<base />${setHeader('x-message', 'override', '@(context.LastError.Message)')}`,
    }),
  });
});

after(async () => {
  await backend?.close();
});

/** Calls the endless operation on a connection of its own; returns the on-error header. */
async function messageAfterSpin(gh: GatehouseProcess): Promise<string> {
  const { status, message } = await new Promise<{ status?: number; message: string }>((resolve, reject) => {
    get(`${gh.gatewayUrl}/spin/forever`, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, message: String(response.headers['x-message'] ?? '') }));
    }).on('error', reject);
  });
  assert.equal(status, 500);
  return message;
}

const budgetMessage = (ms: number) => `Expression evaluation failed. The expression exceeded its time budget of ${ms} ms.`;

describe('--expression-time-budget reaches the gateway', () => {
  it('ends a policy expression at 50 ms when started with --expression-time-budget 50ms (gateway in the start process)', async () => {
    const gh = await startGatehouseProcess(['--config', configDir, '--access-log', 'off', '--expression-time-budget', '50ms', '--workers', '0']);
    try {
      assert.equal(await messageAfterSpin(gh), budgetMessage(50));
    } finally {
      await gh.stop();
    }
  });

  it('hands the budget to every worker process (--workers 2, GATEHOUSE_EXPRESSION_TIME_BUDGET=120ms)', async () => {
    const gh = await startGatehouseProcess(['--config', configDir, '--access-log', 'off', '--workers', '2'], { env: { GATEHOUSE_EXPRESSION_TIME_BUDGET: '120ms' } });
    try {
      // Connections go to the workers in turn: two calls on fresh connections reach both.
      for (let i = 0; i < 2; i++) assert.equal(await messageAfterSpin(gh), budgetMessage(120));
    } finally {
      await gh.stop();
    }
  });

  it('keeps the 500 ms default without the option', async () => {
    const gh = await startGatehouseProcess(['--config', configDir, '--access-log', 'off']);
    try {
      assert.equal(await messageAfterSpin(gh), budgetMessage(500));
    } finally {
      await gh.stop();
    }
  });
});
