/**
 * The AI gateway policies through a real `gatehouse start --config` process against a real
 * loopback server speaking the OpenAI chat completions protocol: token limits hold (429 with
 * Retry-After over tokens-per-minute, 403 over a token quota), the headers and variables carry
 * the counts, estimate-prompt-tokens refuses before the backend is called, a streamed answer
 * reaches the client chunk by chunk while the backend is still writing, and the token metrics
 * (from usage, from a streamed usage chunk, estimated from the deltas) appear on /metrics with
 * their dimensions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies } from './helpers/policy-e2e-support.js';
import { waitFor } from './helpers/wait-for.js';
import { startChatBackend, type ChatBackend } from '../helpers/openai-chat-backend.js';

const token = 'ai-gateway-e2e-admin-token-15';
let backend: ChatBackend;
let gh: GatehouseProcess;

function api(name: string, policy: string, serviceUrl = `${backend.url}/${name}`): Record<string, object | string> {
  return {
    [`apis/${name}/apiInformation.json`]: apiInformation({ displayName: name, path: name, serviceUrl, subscriptionRequired: false }),
    [`apis/${name}/specification.json`]: openApi([{ operationId: 'chat', method: 'POST', path: '/chat/completions' }]),
    [`apis/${name}/policy.xml`]: policy,
  };
}

before(async () => {
  backend = await startChatBackend();
  const dir = writeApiopsFolder({
    'loggers/ai/loggerInformation.json': { properties: { loggerType: 'applicationInsights', credentials: { instrumentationKey: 'e2e' } } },
    'diagnostics/applicationinsights/diagnosticInformation.json': { properties: { loggerId: '/loggers/ai', metrics: true } },
    ...api('tpm', policies({
      inbound: '<base /><llm-token-limit counter-key="@(context.Request.IpAddress)" tokens-per-minute="100" estimate-prompt-tokens="false" remaining-tokens-header-name="x-remaining-tokens" tokens-consumed-header-name="x-tokens-consumed" tokens-consumed-variable-name="consumed" />',
      outbound: '<base /><set-header name="x-consumed-in-outbound" exists-action="override"><value>@(context.Variables["consumed"].ToString())</value></set-header>',
    })),
    ...api('quota', policies({
      inbound: '<base /><azure-openai-token-limit counter-key="quota" token-quota="100" token-quota-period="Hourly" estimate-prompt-tokens="false" remaining-quota-tokens-header-name="x-remaining-quota" />',
    })),
    ...api('estimate', policies({
      inbound: '<base /><llm-token-limit counter-key="estimate" tokens-per-minute="60" estimate-prompt-tokens="true" />',
    })),
    ...api('stream', policies({
      inbound: `<base /><llm-token-limit counter-key="@(context.Request.Headers.GetValueOrDefault(&quot;x-tenant&quot;, &quot;none&quot;))" tokens-per-minute="1000" estimate-prompt-tokens="false" remaining-tokens-header-name="x-remaining-tokens" />
        <llm-emit-token-metric namespace="llm-stream"><dimension name="API ID" /><dimension name="Tenant" value="@(context.Request.Headers.GetValueOrDefault(&quot;x-tenant&quot;, &quot;none&quot;))" /></llm-emit-token-metric>`,
      backend: '<forward-request buffer-response="false" />',
    })),
    ...api('metered', policies({
      inbound: '<base /><azure-openai-emit-token-metric namespace="aoai"><dimension name="API ID" /><dimension name="Caller" value="@(context.Request.Headers.GetValueOrDefault(&quot;x-caller&quot;, &quot;anon&quot;))" /></azure-openai-emit-token-metric>',
    })),
  });
  gh = await startGatehouseProcess(['--config', dir, '--admin-token', token]);
});

after(async () => {
  await gh?.stop();
  backend?.release();
  await backend?.close();
});

const chat = (path: string, content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  fetch(`${gh.gatewayUrl}/${path}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }], ...extra }),
  });
const sentTo = (name: string) => backend.received.filter((r) => r.path === `/${name}/chat/completions`).length;
const promptOf = (content: string) => 3 + countTokens('user') + countTokens(content) + 3;

/** The sum of a token metric's series whose labels include `labels`. */
async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const management = /management API \(http\): (\S+)/.exec(gh.stdout.join('\n'))![1]!;
  const res = await fetch(`${management}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  let sum = 0;
  for (const line of (await res.text()).split('\n')) {
    const m = new RegExp(`^gatehouse_custom_${name}_total\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (!m) continue;
    const seen = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => seen[k] === v)) sum += Number(m[2]);
  }
  return sum;
}

describe('AI gateway policies (gatehouse process, OpenAI-compatible backend)', () => {
  it('tokens-per-minute: counts the usage, reports it, and the call after the limit gets 429 with Retry-After', async () => {
    backend.usage = { prompt: 30, completion: 20 };
    const first = await chat('tpm', 'hello');
    assert.equal(first.status, 200);
    assert.equal(((await first.json()) as { usage: { total_tokens: number } }).usage.total_tokens, 50);
    assert.equal(first.headers.get('x-tokens-consumed'), '50');
    assert.equal(first.headers.get('x-consumed-in-outbound'), '50');
    assert.equal(first.headers.get('x-remaining-tokens'), '50');
    const second = await chat('tpm', 'hello');
    await second.arrayBuffer();
    assert.equal(second.headers.get('x-remaining-tokens'), '0');
    const third = await chat('tpm', 'hello');
    assert.equal(third.status, 429);
    const body = (await third.json()) as { statusCode: number; message: string };
    assert.equal(body.statusCode, 429);
    assert.match(body.message, /^Token limit is exceeded\. Try again in \d+ seconds\.$/);
    const retryAfter = Number(third.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.equal(body.message, `Token limit is exceeded. Try again in ${retryAfter} seconds.`);
    assert.equal(sentTo('tpm'), 2, 'the refused call never reached the backend');
  });

  it('token-quota: 403 with the time left once the quota is used up', async () => {
    backend.usage = { prompt: 30, completion: 20 };
    const first = await chat('quota', 'a');
    await first.arrayBuffer();
    assert.equal(first.headers.get('x-remaining-quota'), '50');
    await (await chat('quota', 'a')).arrayBuffer();
    const refused = await chat('quota', 'a');
    assert.equal(refused.status, 403);
    const body = (await refused.json()) as { statusCode: number; message: string };
    assert.equal(body.statusCode, 403);
    assert.match(body.message, /^Token quota is exceeded\. Try again in \d+ (minutes?|seconds?|hours?)( and \d+ (minutes?|seconds?))?\.$/);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal(sentTo('quota'), 2);
  });

  it('estimate-prompt-tokens: a prompt larger than the limit is refused before the backend is called', async () => {
    const long = 'lorem ipsum '.repeat(40);
    assert.ok(promptOf(long) > 60);
    const refused = await chat('estimate', long);
    assert.equal(refused.status, 429);
    await refused.arrayBuffer();
    assert.equal(sentTo('estimate'), 0);
    const fits = await chat('estimate', 'short');
    assert.equal(fits.status, 200);
    await fits.arrayBuffer();
    assert.equal(sentTo('estimate'), 1);
  });

  it('a streamed answer is not buffered: its first chunk reaches the client while the backend is still writing', async () => {
    backend.holdStreams = true;
    try {
      const res = await chat('stream', 'stream it', { stream: true }, { 'x-tenant': 'held' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const reader = res.body!.getReader();
      const first = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no chunk reached the client while the backend was still writing')), 10_000)),
      ]);
      assert.match(Buffer.from(first.value!).toString(), /^data: \{.*"role":"assistant"/);
      assert.equal(backend.held, 1, 'the backend has not finished its answer yet');
      backend.release();
      let rest = '';
      for (;;) {
        const next = await reader.read();
        if (next.done) break;
        rest += Buffer.from(next.value).toString();
      }
      assert.match(rest, /data: \[DONE\]\n\n$/);
    } finally {
      backend.holdStreams = false;
      backend.release();
    }
  });

  it('streamed answers are counted from the usage chunk, else estimated from the deltas, into the limit and the metrics', async () => {
    backend.usage = { prompt: 100, completion: 300 };
    const labels = { namespace: 'llm-stream', api_id: 'stream' };
    const withUsage = await chat('stream', 'x', { stream: true, stream_options: { include_usage: true } }, { 'x-tenant': 'usage' });
    await withUsage.text();
    await waitFor('the usage chunk to be counted', async () => (await metric('total_tokens', { ...labels, tenant: 'usage' })) === 400, gh);
    assert.equal(await metric('prompt_tokens', { ...labels, tenant: 'usage' }), 100);
    assert.equal(await metric('completion_tokens', { ...labels, tenant: 'usage' }), 300);
    // The limit saw the 400 too: the next call's estimate is reserved on top of it.
    const next = await chat('stream', 'x', { stream: true, stream_options: { include_usage: true } }, { 'x-tenant': 'usage' });
    await next.text();
    const remaining = Number(next.headers.get('x-remaining-tokens'));
    assert.ok(remaining === 1000 - 400 - promptOf('x') || remaining === 1000 - 800, String(remaining));

    const estimated = await chat('stream', 'estimate me', { stream: true }, { 'x-tenant': 'estimated' });
    await estimated.text();
    const prompt = promptOf('estimate me');
    const completion = countTokens(backend.completionText);
    await waitFor('the estimate to be counted', async () => (await metric('total_tokens', { ...labels, tenant: 'estimated' })) === prompt + completion, gh);
    assert.equal(await metric('completion_tokens', { ...labels, tenant: 'estimated' }), completion);
  });

  it('azure-openai-emit-token-metric: Total, Prompt and Completion Tokens with their dimensions on /metrics', async () => {
    backend.usage = { prompt: 30, completion: 20 };
    const labels = { namespace: 'aoai', api_id: 'metered', caller: 'ci' };
    for (let i = 0; i < 2; i++) {
      const res = await chat('metered', 'count', {}, { 'x-caller': 'ci' });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }
    await waitFor('the token metrics', async () => (await metric('total_tokens', labels)) === 100, gh);
    assert.equal(await metric('prompt_tokens', labels), 60);
    assert.equal(await metric('completion_tokens', labels), 40);
  });
});

describe('gatehouse start --workers 2: one token limit for all the workers', () => {
  let workers: GatehouseProcess;
  before(async () => {
    const dir = writeApiopsFolder(api('shared', policies({
      inbound: '<base /><llm-token-limit counter-key="one-key" tokens-per-minute="100" estimate-prompt-tokens="false" />',
    })));
    workers = await startGatehouseProcess(['--config', dir, '--workers', '2']);
  });
  after(() => workers?.stop());

  it('admits the calls that fit in the minute whichever worker serves them, and refuses the rest', async () => {
    backend.usage = { prompt: 30, completion: 20 };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // A new connection each time, so the calls spread over the workers.
      const res = await fetch(`${workers.gatewayUrl}/shared/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [200, 200, 429, 429, 429, 429]);
    assert.equal(sentTo('shared'), 2);
  });
});
