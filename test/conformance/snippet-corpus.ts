/**
 * Loads the policy documents of the policy snippet corpus (test/fixtures/corpus) and compiles each
 * with the real compiler, giving every `{{named value}}`, fragment and backend it refers to a stand-in value
 * (those are configuration, not policy).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Backend } from '../../src/model/resources.js';
import { namedValueReferences } from '../../src/pipeline/named-values.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly } from '../helpers/policy-harness.js';

export const snippetFolder = new URL('../fixtures/corpus/policy-snippets/', import.meta.url).pathname;

export interface SnippetOutcome {
  file: string;
  /** 'compiles', or the compile error as `element line:column reason`. */
  outcome: string;
}

/** Every XML document of the corpus, relative to its folder, sorted. */
export function snippetFiles(dir = snippetFolder): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...snippetFiles(path).map((f) => join(name, f)));
    else if (name.endsWith('.xml')) out.push(name);
  }
  return dir === snippetFolder ? out.sort() : out;
}

/** Compiles one corpus document (fragments through include-fragment in inbound). */
export function compileSnippet(file: string): SnippetOutcome {
  // `base-url=""` is a blank the snippet leaves for the reader to fill in, like a named value.
  const text = readFileSync(join(snippetFolder, file), 'utf8').replace(/base-url=""/g, 'base-url="https://stand-in.example.test"');
  const fragments: Record<string, string> = {};
  for (const other of snippetFiles()) {
    const content = readFileSync(join(snippetFolder, other), 'utf8');
    if (/<fragment[\s>]/.test(content)) fragments[other.replace(/^.*\//, '').replace(/\.xml$/, '')] = content;
  }
  const namedValues: Record<string, string> = {};
  for (const doc of [text, ...Object.values(fragments)]) for (const name of namedValueReferences(doc)) namedValues[name] = standInValue(name);
  const backends: Backend[] = [...text.matchAll(/backend-id="([^"@{]+)"/g)].map((m) => ({ name: m[1]!, url: 'http://127.0.0.1:9' }));
  const isFragment = /<fragment[\s>]/.test(text);
  const id = file.replace(/^.*\//, '').replace(/\.xml$/, '');
  const xml = isFragment ? `<policies><inbound><include-fragment fragment-id="${id}" /></inbound></policies>` : text;
  try {
    compileOnly(xml, 'api', { namedValues, fragments, backends });
    return { file: relative('.', file), outcome: 'compiles' };
  } catch (err) {
    if (err instanceof PolicyCompileError) return { file, outcome: `${err.element} ${err.line}:${err.column} ${err.reason}` };
    throw err;
  }
}

/** A value of the kind a named value's name suggests, as an operator would configure it. */
function standInValue(name: string): string {
  // The oauth-proxy fragments select one of two keys with `var key = {{CookieEncryptionKey}};`.
  if (name === 'CookieEncryptionKey') return '1';
  if (/path/i.test(name)) return '/stand-in/path';
  // `{{my-send-request}}` is the URL a send-request calls.
  if (/host|url|server|endpoint|address|send-request/i.test(name)) return 'https://stand-in.example.test';
  if (/base64|secret|key/i.test(name)) return Buffer.from('stand-in secret value for tests!').toString('base64');
  if (/seconds|expiry|timeout|count/i.test(name)) return '300';
  return 'stand-in';
}
