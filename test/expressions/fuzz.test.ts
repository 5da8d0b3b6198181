/**
 * Fuzzing: random token soups and mutations of the golden sources must never crash or hang the
 * compiler or the evaluator. Every failure is an ExpressionCompileError with a position inside
 * the text, or an ExpressionEvaluationError. Seeded, bounded in count and in time.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, ExpressionCompileError, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { DotNetException } from '../../src/expressions/errors.js';
import { fixtureContext } from './fixture-context.js';
import { goldenGroups } from './golden-cases.js';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const vocabulary = [
  'context', '.', 'Request', 'Headers', 'GetValueOrDefault', '(', ')', '"x"', ',', '1', '2.5', '0x1F', '10L', '1m', "'c'", '+', '-', '*', '/',
  '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '!', '?', ':', '??', '?.', '[', ']', '{', '}', ';', 'var', 'x', '=', 'return', 'if',
  'else', 'for', 'foreach', 'in', 'while', 'new', 'List<int>', 'string', 'int', '(int)', '(string)', 'is', 'as', '=>', 'null', 'true',
  'false', '$"a{1}b"', '@"v"', 'JObject', 'Parse', 'Where', 'Select', 'x => x', 'Length', 'Substring', 'Variables', '["num"]', 'switch',
  'case', 'default', 'break', 'continue', 'throw', 'checked', 'typeof', 'Regex', 'Math', 'Max', 'DateTime', 'UtcNow', 'ToString', '"o"',
  '<<', '>>', '&', '|', '^', '~', '++', '--', '+=', '\n', ' ', '//c\n', '/*c*/',
];

function tokenSoup(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 25);
  let s = '';
  for (let i = 0; i < n; i++) s += vocabulary[Math.floor(rand() * vocabulary.length)] + (rand() < 0.5 ? ' ' : '');
  return (rand() < 0.5 ? '@(' + s + ')' : '@{' + s + '}');
}

const seeds = Object.values(goldenGroups).flat().map((c) => c[0]);
const alphabet = '()[]{}<>;,.:?!=+-*/%&|^~"\'@$\\ \n\t0123456789abcxyzXYZ_';

function mutate(rand: () => number): string {
  let s = seeds[Math.floor(rand() * seeds.length)]!;
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (s.length + 1));
    const op = rand();
    if (op < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 3));
    else if (op < 0.6) s = s.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + s.slice(at);
    else if (op < 0.75) s = s.slice(0, at);
    else if (op < 0.9) {
      const from = Math.floor(rand() * s.length);
      s = s.slice(0, at) + s.slice(from, from + 1 + Math.floor(rand() * 10)) + s.slice(at);
    } else {
      const other = seeds[Math.floor(rand() * seeds.length)]!;
      s = s.slice(0, at) + other.slice(2, -1) + s.slice(at);
    }
  }
  return s;
}

const numberSwaps = ['0', '-1', '2147483647', '-2147483648', '1e308', '0.5', '9223372036854775807L', '100000'];
const stringSwaps = ['""', 'null', '"{"', '"\\u0000"', '"a,b"', '"2024-13-45"', '"[1,2"', '"{\\"a\\":1}"', '"ﬀ😀"'];

/** Keeps the program well-formed but feeds it edge values (zero, extremes, empty, malformed). */
function mutateValues(rand: () => number): string {
  let s = seeds[Math.floor(rand() * seeds.length)]!;
  for (let e = 0; e < 1 + Math.floor(rand() * 3); e++) {
    const useNumber = rand() < 0.5;
    const pattern = useNumber ? /\b\d+(\.\d+)?\b/g : /"(?:[^"\\]|\\.)*"/g;
    const matches = [...s.matchAll(pattern)];
    if (matches.length === 0) continue;
    const m = matches[Math.floor(rand() * matches.length)]!;
    const swaps = useNumber ? numberSwaps : stringSwaps;
    s = s.slice(0, m.index) + swaps[Math.floor(rand() * swaps.length)] + s.slice(m.index! + m[0].length);
  }
  return s;
}

function lineCount(s: string): number {
  return s.split(/\r\n|\r|\n/).length;
}

function exercise(source: string): 'compile-error' | 'evaluated' | 'evaluation-error' {
  let compiled;
  try {
    compiled = compileExpression(source, { limits: { maxSteps: 20_000, maxMilliseconds: 250, maxStringLength: 100_000, maxCollectionSize: 10_000 } });
  } catch (err) {
    assert.ok(err instanceof ExpressionCompileError, `compiler crashed on ${JSON.stringify(source)}: ${String((err as Error)?.stack ?? err)}`);
    assert.ok(err.reason.length > 0);
    assert.ok(err.offsetLine >= 1 && err.offsetLine <= lineCount(source), `line ${err.offsetLine} outside ${JSON.stringify(source)}`);
    assert.ok(err.offsetColumn >= 1, `column ${err.offsetColumn} for ${JSON.stringify(source)}`);
    return 'compile-error';
  }
  try {
    compiled.evaluate(fixtureContext());
    return 'evaluated';
  } catch (err) {
    assert.ok(err instanceof ExpressionEvaluationError, `evaluator crashed on ${JSON.stringify(source)}: ${String((err as Error)?.stack ?? err)}`);
    // Either a .NET exception the expression raised, or one of the safety limits: never a
    // JavaScript error leaking through.
    assert.ok(
      (err instanceof DotNetException && err.exceptionType !== 'Gatehouse.InternalError') || /exceeded its|exceeds the limit|nested too deeply/.test(err.message),
      `internal error on ${JSON.stringify(source)}: ${err.message}`,
    );
    return 'evaluation-error';
  }
}

describe('expression fuzzing', () => {
  it('survives mutated golden sources', () => {
    const rand = prng(20261126);
    const counts = { 'compile-error': 0, evaluated: 0, 'evaluation-error': 0 };
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < 3000 && Date.now() < deadline; i++) counts[exercise(mutate(rand))]++;
    // The mix shows the fuzzer reaches all three outcomes, not only the parser.
    if (process.env.FUZZ_VERBOSE) console.log(counts);
    assert.ok(counts['compile-error'] > 0 && counts.evaluated > 0 && counts['evaluation-error'] > 0, JSON.stringify(counts));
  });

  it('survives edge values in well-formed expressions', () => {
    const rand = prng(4242);
    const counts = { 'compile-error': 0, evaluated: 0, 'evaluation-error': 0 };
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < 3000 && Date.now() < deadline; i++) counts[exercise(mutateValues(rand))]++;
    if (process.env.FUZZ_VERBOSE) console.log(counts);
    assert.ok(counts.evaluated > 500 && counts['evaluation-error'] > 100, JSON.stringify(counts));
  });

  it('survives random token soups', () => {
    const rand = prng(7);
    const deadline = Date.now() + 20_000;
    for (let i = 0; i < 3000 && Date.now() < deadline; i++) exercise(tokenSoup(rand));
  });

  it('survives random characters and pathological nesting', () => {
    const rand = prng(99);
    for (let i = 0; i < 1000; i++) {
      const n = Math.floor(rand() * 40);
      let s = rand() < 0.5 ? '@(' : '@{';
      for (let k = 0; k < n; k++) s += String.fromCharCode(32 + Math.floor(rand() * 95));
      exercise(s + (s.startsWith('@(') ? ')' : '}'));
    }
    exercise('@(' + '('.repeat(20_000) + '1' + ')'.repeat(20_000) + ')');
    exercise('@(' + '-'.repeat(20_000) + '1)');
    exercise('@(' + '1+'.repeat(20_000) + '1)');
    exercise('@("' + 'a'.repeat(200_000) + '")');
    exercise('@($"' + '{1}'.repeat(5_000) + '")');
  });
});
