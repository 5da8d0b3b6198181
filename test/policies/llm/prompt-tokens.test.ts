import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countGeneratedTokens, countPromptTokens, encodingForModel, tokenCounter } from '../../../src/policies/llm/prompt-tokens.js';

describe('prompt token counting', () => {
  it('chooses the encoding by model as OpenAI documents it', () => {
    for (const m of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-5', 'o1', 'o3-mini', 'o4-mini', 'unknown-model', undefined]) assert.equal(encodingForModel(m), 'o200k_base', String(m));
    for (const m of ['gpt-4', 'gpt-4-32k', 'gpt-4-turbo', 'gpt-3.5-turbo', 'gpt-35-turbo', 'text-embedding-ada-002', 'text-embedding-3-small', 'GPT-4']) assert.equal(encodingForModel(m), 'cl100k_base', m);
  });

  it('the two encodings really differ, and each is the library’s', async () => {
    const text = 'Ünïcödé façade — 東京 naïveté';
    assert.notEqual(o200k(text), cl100k(text));
    assert.equal((await tokenCounter('o200k_base'))(text), o200k(text));
    assert.equal((await tokenCounter('cl100k_base'))(text), cl100k(text));
  });

  it('counts a chat as the cookbook does: 3 per message, the role and content, 1 more for a name, 3 for the reply', async () => {
    const count = await tokenCounter('o200k_base');
    const body = { messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', name: 'ann', content: [{ type: 'text', text: 'Hello world, how are you?' }, { type: 'image_url', image_url: { url: 'x' } }] }] };
    const expected = 3 + o200k('system') + o200k('You are terse.') + 3 + o200k('user') + o200k('Hello world, how are you?') + o200k('ann') + 1 + 3;
    assert.equal(countPromptTokens(body, count), expected);
  });

  it('counts completion prompts, embeddings input and tools; nothing for a body without a prompt', async () => {
    const count = await tokenCounter('cl100k_base');
    assert.equal(countPromptTokens({ prompt: 'Say this is a test' }, count), cl100k('Say this is a test'));
    assert.equal(countPromptTokens({ input: ['one two', 'three'] }, count), cl100k('one two') + cl100k('three'));
    const tools = [{ type: 'function', function: { name: 'f', parameters: {} } }];
    assert.equal(countPromptTokens({ messages: [], tools }, count), 3 + cl100k(JSON.stringify(tools)));
    assert.equal(countPromptTokens({ temperature: 1 }, count), 0);
    assert.equal(countPromptTokens('not an object', count), 0);
    assert.equal(countGeneratedTokens(['Hel', 'lo'], count), cl100k('Hello'));
    assert.equal(countGeneratedTokens([], count), 0);
  });
});
