/** llm-emit-token-metric / azure-openai-emit-token-metric through the real pipeline and a real OpenAI-compatible loopback backend. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { MetricEmission, PolicyTelemetry } from '../../src/pipeline/policy-telemetry.js';
import { compileOnly, expectCompileError, runPolicies } from '../helpers/policy-harness.js';
import { startChatBackend, type ChatBackend } from '../helpers/openai-chat-backend.js';

let backend: ChatBackend;
before(async () => {
  backend = await startChatBackend();
});
after(() => backend.close());

function recording(): PolicyTelemetry & { metrics: MetricEmission[] } {
  const metrics: MetricEmission[] = [];
  return { metrics, trace() {}, emitMetric: (_gw, metric) => void metrics.push(metric) };
}
const doc = (inbound: string) => `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
const chat = (extra: Record<string, unknown> = {}) => ({
  method: 'POST',
  url: 'http://gw.test/api/chat/completions',
  headers: { 'content-type': 'application/json', 'x-caller': 'ci' },
  body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'count me' }], ...extra }),
});
const byName = (metrics: MetricEmission[]) => Object.fromEntries(metrics.map((m) => [m.name, m.value]));

describe('emit-token-metric policies', () => {
  it('emits Total, Prompt and Completion Tokens from the usage, with default and custom dimensions', async () => {
    backend.usage = { prompt: 30, completion: 20 };
    const telemetry = recording();
    const result = await runPolicies({
      serviceUrl: backend.url,
      apiModel: { name: 'chat-api' },
      api: doc('<azure-openai-emit-token-metric namespace="aoai"><dimension name="API ID" /><dimension name="Backend ID" /><dimension name="Caller" value="@(context.Request.Headers.GetValueOrDefault(&quot;x-caller&quot;, &quot;&quot;))" /></azure-openai-emit-token-metric>'),
      telemetry,
    }, chat());
    assert.equal(result.status, 200);
    assert.deepEqual(byName(telemetry.metrics), { 'Total Tokens': 50, 'Prompt Tokens': 30, 'Completion Tokens': 20 });
    for (const m of telemetry.metrics) {
      assert.equal(m.namespace, 'aoai');
      assert.deepEqual(m.dimensions, [['API ID', 'chat-api'], ['Backend ID', ''], ['Caller', 'ci']]);
    }
  });

  it('estimates a streamed answer that reports no usage', async () => {
    const telemetry = recording();
    await runPolicies({ serviceUrl: backend.url, api: doc('<llm-emit-token-metric><dimension name="API ID" /></llm-emit-token-metric>'), telemetry }, chat({ stream: true }));
    await new Promise((r) => setTimeout(r, 20));
    const prompt = 3 + countTokens('user') + countTokens('count me') + 3;
    const completion = countTokens(backend.completionText);
    assert.deepEqual(byName(telemetry.metrics), { 'Total Tokens': prompt + completion, 'Prompt Tokens': prompt, 'Completion Tokens': completion });
    assert.equal(telemetry.metrics[0]!.namespace, 'API Management');
  });

  for (const delivery of ['chunked', 'gzip'] as const) {
    it(`reads the usage of a ${delivery} JSON answer and hands the answer on unchanged`, async () => {
      backend.usage = { prompt: 7, completion: 5 };
      backend.jsonDelivery = delivery;
      try {
        const telemetry = recording();
        const result = await runPolicies({ serviceUrl: backend.url, api: doc('<llm-emit-token-metric><dimension name="API ID" /></llm-emit-token-metric>'), telemetry }, chat());
        await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(byName(telemetry.metrics), { 'Total Tokens': 12, 'Prompt Tokens': 7, 'Completion Tokens': 5 });
        if (delivery === 'chunked') assert.equal(result.json<{ usage: { total_tokens: number } }>().usage.total_tokens, 12);
        else assert.equal(result.headers.get('content-encoding'), 'gzip');
      } finally {
        backend.jsonDelivery = 'length';
      }
    });
  }

  it('an answer longer than the buffering limit reaches the client whole and is not counted', async () => {
    backend.completionText = 'long answer '.repeat(50);
    try {
      for (const delivery of ['length', 'chunked'] as const) {
        backend.jsonDelivery = delivery;
        const telemetry = recording();
        const result = await runPolicies({ serviceUrl: backend.url, maxBufferedBodyBytes: 400, api: doc('<llm-emit-token-metric><dimension name="API ID" /></llm-emit-token-metric>'), telemetry }, chat());
        assert.equal(result.status, 200);
        assert.equal(result.json<{ choices: Array<{ message: { content: string } }> }>().choices[0]!.message.content, backend.completionText, delivery);
        await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(telemetry.metrics, [], delivery);
      }
    } finally {
      backend.completionText = 'Gatehouse counts every token it forwards.';
      backend.jsonDelivery = 'length';
    }
  });

  it('emits nothing for an answer without usage (the backend refused the call)', async () => {
    const telemetry = recording();
    const result = await runPolicies({ serviceUrl: backend.url, api: doc('<llm-emit-token-metric><dimension name="API ID" /></llm-emit-token-metric>'), telemetry }, { ...chat(), url: 'http://gw.test/api/other' });
    assert.equal(result.status, 404);
    assert.deepEqual(telemetry.metrics, []);
  });

  it('refuses bad documents at save time', () => {
    assert.match(expectCompileError(doc('<llm-emit-token-metric namespace="x" />')).message, /At least one 'dimension'/);
    assert.match(expectCompileError(doc('<llm-emit-token-metric><dimension name="Client IP" /></llm-emit-token-metric>')).message, /needs a value/);
    const six = Array.from({ length: 6 }, (_, i) => `<dimension name="d${i}" value="v" />`).join('');
    assert.match(expectCompileError(doc(`<llm-emit-token-metric>${six}</llm-emit-token-metric>`)).message, /At most 5 dimensions/);
    // azure-openai-emit-token-metric allows up to 10.
    assert.doesNotThrow(() => compileOnly(doc(`<azure-openai-emit-token-metric>${six}</azure-openai-emit-token-metric>`)));
    const eleven = Array.from({ length: 11 }, (_, i) => `<dimension name="d${i}" value="v" />`).join('');
    assert.match(expectCompileError(doc(`<azure-openai-emit-token-metric>${eleven}</azure-openai-emit-token-metric>`)).message, /At most 10 dimensions/);
    assert.match(expectCompileError(doc('<llm-emit-token-metric value="3"><dimension name="API ID" /></llm-emit-token-metric>')).message, /value/);
    assert.match(expectCompileError(doc('<llm-emit-token-metric><other /></llm-emit-token-metric>')).message, /'other' is not allowed/);
    assert.match(expectCompileError(`<policies><inbound /><outbound><llm-emit-token-metric><dimension name="API ID" /></llm-emit-token-metric></outbound></policies>`).message, /llm-emit-token-metric/);
  });
});
