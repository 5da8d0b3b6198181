/**
 * llm-token-limit / azure-openai-token-limit through the real compiler and executor, a real
 * OpenAI-compatible loopback backend, the memory counter store and a manual clock.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { compileOnly, expectCompileError, sharedCounterGateway, type HarnessSetup } from '../helpers/policy-harness.js';
import { startChatBackend, type ChatBackend } from '../helpers/openai-chat-backend.js';

let backend: ChatBackend;
before(async () => {
  backend = await startChatBackend();
});
after(() => backend.close());

const doc = (inbound: string, outbound = '<base />') => `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound>${outbound}</outbound><on-error><base /></on-error></policies>`;
const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  method: 'POST',
  url: 'http://gw.test/api/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }], ...extra }),
});
/** The cookbook count of a one-message user chat. */
const promptOf = (content: string) => 3 + countTokens('user') + countTokens(content) + 3;
/** A gateway over the chat backend, its counters and clock shared by its calls; the backend reports `usage`. */
function gateway(setup: Partial<HarnessSetup>, usage = { prompt: 30, completion: 20 }, clockStart?: number) {
  backend.usage = usage;
  return sharedCounterGateway({ serviceUrl: backend.url, ...setup }, clockStart);
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('token-limit policies: save-time checks', () => {
  const bad: Array<[string, RegExp]> = [
    ['<llm-token-limit counter-key="k" />', /Either 'tokens-per-minute' or 'token-quota'/],
    ['<llm-token-limit counter-key="k" token-quota="10" />', /'token-quota' needs 'token-quota-period'/],
    ['<llm-token-limit counter-key="k" token-quota-period="Daily" tokens-per-minute="5" />', /'token-quota-period' needs 'token-quota'/],
    ['<llm-token-limit counter-key="k" token-quota="10" token-quota-period="Fortnightly" />', /not one of: Hourly, Daily, Weekly, Monthly, Yearly/],
    ['<llm-token-limit counter-key="k" tokens-per-minute="-1" />', /tokens-per-minute/],
    ['<llm-token-limit counter-key="k" tokens-per-minute="@(5)" />', /tokens-per-minute/],
    ['<llm-token-limit counter-key="k" tokens-per-minute="5" remaining-tokens-header-name="bad header" />', /not a valid header name/],
    ['<llm-token-limit counter-key="k" tokens-per-minute="5" estimate-prompt-tokens="maybe" />', /estimate-prompt-tokens/],
    ['<azure-openai-token-limit tokens-per-minute="5" />', /counter-key/],
    ['<azure-openai-token-limit counter-key="k" tokens-per-minute="5" calls="3" />', /calls/],
  ];
  for (const [xml, reason] of bad) {
    it(`refuses ${xml}`, () => {
      const err = expectCompileError(doc(xml));
      assert.match(err.message, reason);
      assert.ok(err.line > 0 && err.column > 0);
    });
  }

  it("compiles Microsoft's examples (the token-quota one leaves estimate-prompt-tokens out)", () => {
    assert.doesNotThrow(() => compileOnly(doc('<llm-token-limit counter-key="@(context.Request.IpAddress)" tokens-per-minute="5000" estimate-prompt-tokens="false" remaining-tokens-variable-name="remainingTokens" />'), 'global'));
    assert.doesNotThrow(() => compileOnly(doc('<llm-token-limit counter-key="@(context.Subscription.Id)" token-quota="10000" token-quota-period="Daily" remaining-quota-tokens-variable-name="remainingQuotaTokens" />'), 'product'));
    assert.doesNotThrow(() => compileOnly(doc('<azure-openai-token-limit counter-key="@(context.Request.IpAddress)" tokens-per-minute="5000" estimate-prompt-tokens="false" remaining-tokens-variable-name="remainingTokens" />'), 'operation'));
  });

  it('is an inbound policy only', () => {
    assert.match(expectCompileError(doc('', '<base /><llm-token-limit counter-key="k" tokens-per-minute="5" />')).message, /llm-token-limit/);
  });
});

describe('tokens-per-minute', () => {
  it('counts the backend usage; the call after the limit is reached gets 429 with Retry-After, and the window frees up', async () => {
    const gw = gateway({
      api: doc(
        '<llm-token-limit counter-key="@(context.Request.IpAddress)" tokens-per-minute="100" estimate-prompt-tokens="false" remaining-tokens-header-name="x-remaining" remaining-tokens-variable-name="remaining" tokens-consumed-header-name="x-consumed" tokens-consumed-variable-name="consumed" retry-after-variable-name="wait" />',
        '<base /><set-header name="x-seen" exists-action="override"><value>@(context.Variables["consumed"] + "/" + context.Variables["remaining"])</value></set-header>',
      ),
    });
    const first = await gw.call({}, chat('hello'));
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-consumed'), '50');
    assert.equal(first.headers.get('x-remaining'), '50');
    assert.equal(first.headers.get('x-seen'), '50/50', 'outbound sees the counts of the answer');
    assert.equal(first.json<{ usage: { total_tokens: number } }>().usage.total_tokens, 50, 'the answer reaches the client whole');
    const second = await gw.call({}, chat('hello'));
    assert.equal(second.headers.get('x-remaining'), '0');
    const sent = backend.received.length;
    gw.clock.advance(10_000);
    const third = await gw.call({}, chat('hello'));
    assert.equal(third.status, 429);
    assert.deepEqual(third.json(), { statusCode: 429, message: 'Token limit is exceeded. Try again in 50 seconds.' });
    assert.equal(third.headers.get('retry-after'), '50');
    assert.equal(third.headers.get('x-remaining'), '0');
    assert.equal(third.gw.variables.get('wait'), 50);
    assert.equal(third.gw.lastError?.reason, 'OpenAITokenLimitExceeded');
    assert.equal(third.gw.lastError?.source, 'llm-token-limit');
    assert.equal(backend.received.length, sent, 'the refused call never reached the backend');
    gw.clock.advance(50_000);
    assert.equal((await gw.call({}, chat('hello'))).status, 200);
  });

  it('estimate-prompt-tokens counts the prompt before the call: a prompt over what is left is refused without calling the backend', async () => {
    const gw = gateway({
      api: doc('<llm-token-limit counter-key="est" tokens-per-minute="60" estimate-prompt-tokens="true" tokens-consumed-variable-name="consumed" />'),
    });
    const long = 'word '.repeat(80);
    assert.ok(promptOf(long) > 60);
    const sent = backend.received.length;
    const refused = await gw.call({}, chat(long));
    assert.equal(refused.status, 429);
    assert.equal(backend.received.length, sent);
    assert.equal(refused.gw.variables.get('consumed'), promptOf(long), 'the variable holds the estimate');
    // A shorter prompt fits; the answer's usage (50) then replaces the estimate.
    const medium = 'word '.repeat(15);
    const ok = await gw.call({}, chat(medium));
    assert.equal(ok.status, 200);
    assert.equal(ok.gw.variables.get('consumed'), 50);
    // 50 used: 10 left, and the next prompt's estimate does not fit.
    assert.ok(promptOf(medium) > 10 && promptOf(medium) < 60);
    assert.equal((await gw.call({}, chat(medium))).status, 429);
    assert.equal(backend.received.length, sent + 1);
  });

  const minuteLeft = async (gw: ReturnType<typeof sharedCounterGateway>, key: string, limit: number) =>
    (await gw.counters.peekRateLimit(`token-limit|minute|${key}`, limit, 60_000, gw.clock.now())).remaining;

  it('a streamed answer without a usage chunk is counted from the estimate of prompt and generated text', async () => {
    const gw = gateway({
      api: doc('<llm-token-limit counter-key="stream" tokens-per-minute="1000" estimate-prompt-tokens="false" />'),
      operation: '<policies><inbound><base /></inbound><backend><forward-request buffer-response="false" /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>',
    }, { prompt: 999, completion: 999 });
    const first = await gw.call({}, chat('stream please', { stream: true }));
    assert.equal(first.status, 200);
    assert.match(first.body, /data: \[DONE\]/);
    await settle();
    assert.equal(await minuteLeft(gw, 'stream', 1000), 1000 - promptOf('stream please') - countTokens(backend.completionText));
  });

  it('a streamed answer with a usage chunk (include_usage) is counted from it', async () => {
    const gw = gateway({
      api: doc('<llm-token-limit counter-key="stream-usage" tokens-per-minute="1000" />'),
    }, { prompt: 100, completion: 300 });
    await gw.call({}, chat('x', { stream: true, stream_options: { include_usage: true } }));
    await settle();
    assert.equal(await minuteLeft(gw, 'stream-usage', 1000), 600);
  });

  it('two policies on one key count a request once; the two policy names share the counter', async () => {
    const gw = gateway({
      product: doc('<azure-openai-token-limit counter-key="shared" tokens-per-minute="1000" estimate-prompt-tokens="false" />'),
      api: doc('<llm-token-limit counter-key="shared" tokens-per-minute="1000" estimate-prompt-tokens="false" remaining-tokens-header-name="x-remaining" />'),
    });
    assert.equal((await gw.call({}, chat('a'))).headers.get('x-remaining'), '950');
    assert.equal((await gw.call({}, chat('a'))).headers.get('x-remaining'), '900');
  });
});

describe('token-quota', () => {
  it('over the quota: 403 with the time left, Retry-After, and the remaining quota reported', async () => {
    const gw = gateway({
      api: doc('<azure-openai-token-limit counter-key="q" token-quota="100" token-quota-period="Hourly" estimate-prompt-tokens="false" remaining-quota-tokens-header-name="x-quota-left" remaining-quota-tokens-variable-name="left" />'),
    }, undefined, Date.UTC(2026, 0, 1, 10, 38, 27));
    assert.equal((await gw.call({}, chat('a'))).headers.get('x-quota-left'), '50');
    const second = await gw.call({}, chat('a'));
    assert.equal(second.headers.get('x-quota-left'), '0');
    assert.equal(second.gw.variables.get('left'), 0);
    const third = await gw.call({}, chat('a'));
    assert.equal(third.status, 403);
    assert.deepEqual(third.json(), { statusCode: 403, message: 'Token quota is exceeded. Try again in 21 minutes and 33 seconds.' });
    assert.equal(third.headers.get('retry-after'), String(21 * 60 + 33));
    assert.equal(third.gw.lastError?.reason, 'OpenAITokenQuotaExceeded');
    // The next hour is a new window.
    gw.clock.set(Date.UTC(2026, 0, 1, 11, 0, 0));
    assert.equal((await gw.call({}, chat('a'))).status, 200);
  });

  it('a quota refusal gives back the tokens it reserved on the minute limit', async () => {
    const gw = gateway({
      api: doc('<llm-token-limit counter-key="both" tokens-per-minute="1000" token-quota="50" token-quota-period="Daily" estimate-prompt-tokens="true" remaining-tokens-header-name="x-remaining" />'),
    });
    assert.equal((await gw.call({}, chat('a'))).status, 200);
    assert.equal((await gw.call({}, chat('a'))).status, 403);
    const peek = await gw.counters.peekRateLimit('token-limit|minute|both', 1000, 60_000, gw.clock.now());
    assert.equal(peek.remaining, 950, 'only the answered call counts on the minute window');
  });
});

describe('request tracing', () => {
  it('a traced request records the key, the estimate and, once answered, the counts', async () => {
    const steps: Array<{ section: string; source: string; data: unknown }> = [];
    const gw = gateway({
      api: doc('<llm-token-limit counter-key="traced" tokens-per-minute="1000" estimate-prompt-tokens="true" />'),
      requestTrace: { record: (section, source, data) => void steps.push({ section, source, data }) },
    });
    await gw.call({}, chat('trace me'));
    const mine = steps.filter((s) => s.source === 'llm-token-limit');
    assert.deepEqual(mine.map((s) => s.section), ['inbound', 'outbound']);
    assert.deepEqual(mine[0]!.data, { counterKey: 'traced', promptTokens: promptOf('trace me'), estimated: true, streamed: false, remainingTokens: 1000 - promptOf('trace me'), remainingQuotaTokens: undefined });
    assert.deepEqual(mine[1]!.data, { counterKey: 'traced', promptTokens: 30, completionTokens: 20, totalTokens: 50, estimated: false, remainingTokens: 950, remainingQuotaTokens: undefined });
  });
});
