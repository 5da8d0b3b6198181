import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { maxEventLineBytes, reportedUsage, sseUsageObserver, SseUsageReader } from '../../../src/policies/llm/sse-usage-reader.js';

const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
const delta = (content: string) => event({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const usageChunk = event({ object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } });
const stream = delta('Hello') + delta(', wor') + delta('ld') + event({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + usageChunk + 'data: [DONE]\n\n';

function readAll(pieces: Buffer[]) {
  const reader = new SseUsageReader();
  for (const p of pieces) reader.push(p);
  return reader.finish();
}

describe('SseUsageReader', () => {
  it('finds the final usage chunk and the generated text, however the bytes are split', () => {
    const bytes = Buffer.from(stream);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const answer = readAll([bytes.subarray(0, cut), bytes.subarray(cut)]);
      assert.deepEqual(answer.usage, { promptTokens: 12, completionTokens: 7, totalTokens: 19 }, `cut at ${cut}`);
      assert.equal(answer.generatedText.join(''), 'Hello, world', `cut at ${cut}`);
      assert.equal(answer.chunks, 5);
    }
  });

  it('reads one byte at a time, CRLF line ends, and multi-byte characters split across chunks', () => {
    const text = (delta('Grüße ') + delta('日本') + usageChunk).replace(/\n/g, '\r\n');
    const bytes = Buffer.from(text);
    const answer = readAll([...bytes].map((b) => Buffer.from([b])));
    assert.equal(answer.generatedText.join(''), 'Grüße 日本');
    assert.equal(answer.usage?.totalTokens, 19);
  });

  it('without a usage chunk, keeps only the deltas (content, refusal, tool-call arguments)', () => {
    const toolCall = event({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'lookup', arguments: '{"q":1}' } }] } }] });
    const answer = readAll([Buffer.from(delta('a') + event({ choices: [{ delta: { refusal: 'no' } }] }) + toolCall + 'data: [DONE]\n\n')]);
    assert.equal(answer.usage, undefined);
    assert.deepEqual(answer.generatedText, ['a', 'no', 'lookup', '{"q":1}']);
  });

  it('ignores comments, other fields, non-JSON data and a last line without newline still counts', () => {
    const answer = readAll([Buffer.from(': keep-alive\nevent: message\nid: 3\ndata: not json\n\n' + usageChunk.trimEnd())]);
    assert.equal(answer.usage?.promptTokens, 12);
    assert.equal(answer.chunks, 1);
  });

  it('skips a line longer than the bound without keeping it, and reads the next', () => {
    const reader = new SseUsageReader();
    const huge = Buffer.alloc(maxEventLineBytes + 10, 0x61);
    reader.push(Buffer.from('data: '));
    reader.push(huge);
    reader.push(Buffer.from('\n' + usageChunk));
    const answer = reader.finish();
    assert.equal(answer.usage?.completionTokens, 7);
    assert.equal(answer.chunks, 1);
  });

  it('reads the usage of a Responses API stream (response.completed)', () => {
    const answer = readAll([Buffer.from('event: response.completed\n' + event({ type: 'response.completed', response: { usage: { input_tokens: 5, output_tokens: 9, total_tokens: 14 } } }))]);
    assert.deepEqual(answer.usage, { promptTokens: 5, completionTokens: 9, totalTokens: 14 });
  });

  it('reportedUsage reads the Responses API names and refuses junk', () => {
    assert.deepEqual(reportedUsage({ usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 } }), { promptTokens: 3, completionTokens: 4, totalTokens: 7 });
    assert.equal(reportedUsage({ usage: { prompt_tokens: -1, completion_tokens: 'x' } }), undefined);
    assert.equal(reportedUsage({ usage: null }), undefined);
    assert.equal(reportedUsage('x'), undefined);
  });
});

describe('sseUsageObserver', () => {
  it('passes each chunk on before the stream ends, and reports once at the end', async () => {
    const source = new PassThrough();
    let reports = 0;
    let reported: ReturnType<SseUsageReader['finish']> | undefined;
    const observer = sseUsageObserver((answer) => {
      reports += 1;
      reported = answer;
    });
    source.pipe(observer);
    const first = new Promise<Buffer>((resolve) => observer.once('data', resolve));
    source.write(delta('Hi'));
    // The first chunk is out while the source is still open.
    assert.equal((await first).toString(), delta('Hi'));
    assert.equal(reports, 0);
    const rest: Buffer[] = [];
    observer.on('data', (c: Buffer) => rest.push(c));
    const ended = new Promise((resolve) => observer.once('end', resolve));
    source.end(usageChunk);
    await ended;
    assert.equal(Buffer.concat(rest).toString(), usageChunk);
    assert.equal(reports, 1);
    assert.equal(reported?.usage?.totalTokens, 19);
    assert.deepEqual(reported?.generatedText, ['Hi']);
  });

  it('reports what passed when the transfer is cut short', async () => {
    const source = new PassThrough();
    let reported: ReturnType<SseUsageReader['finish']> | undefined;
    const observer = sseUsageObserver((answer) => (reported = answer));
    source.pipe(observer);
    observer.resume();
    source.write(delta('partial'));
    await new Promise((r) => setImmediate(r));
    observer.destroy();
    await new Promise((r) => observer.once('close', r));
    assert.deepEqual(reported?.generatedText, ['partial']);
  });
});
