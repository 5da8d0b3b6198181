/**
 * Fuzzing the policy expression language (lexer, parser, checker, compiler and runtime): token
 * soups, random characters, edits of the golden sources and edge values in well-formed ones.
 * Compiling either succeeds or fails with an ExpressionCompileError positioned inside the text;
 * evaluating either returns or fails with a .NET exception the expression raised or one of the
 * safety limits, never a JavaScript error leaking through (Gatehouse.InternalError).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileExpression, ExpressionCompileError, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { DotNetException } from '../../src/expressions/errors.js';
import { fixtureContext } from '../expressions/fixture-context.js';
import { goldenGroups } from '../expressions/golden-cases.js';
import { checkProperty, mutatedText } from './fuzz-settings.js';

type Outcome = 'compile-error' | 'evaluated' | 'evaluation-error';

const vocabulary = [
  'context', '.', 'Request', 'Headers', 'GetValueOrDefault', '(', ')', '"x"', ',', '1', '2.5', '0x1F', '10L', '1m', "'c'", '+', '-', '*', '/',
  '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '!', '?', ':', '??', '?.', '[', ']', '{', '}', ';', 'var', 'x', '=', 'return', 'if',
  'else', 'for', 'foreach', 'in', 'while', 'new', 'List<int>', 'string', 'int', '(int)', '(string)', 'is', 'as', '=>', 'null', 'true',
  'false', '$"a{1}b"', '@"v"', 'JObject', 'Parse', 'Where', 'Select', 'x => x', 'Length', 'Substring', 'Variables', '["num"]', 'switch',
  'case', 'default', 'break', 'continue', 'throw', 'checked', 'typeof', 'Regex', 'Math', 'Max', 'DateTime', 'UtcNow', 'ToString', '"o"',
  '<<', '>>', '&', '|', '^', '~', '++', '--', '+=', '\n', ' ', '//c\n', '/*c*/', 'valueOf', '__proto__', 'constructor', 'prototype',
];
const goldenSources = Object.values(goldenGroups).flat().map((c) => c[0]);
const sourceAlphabet = '()[]{}<>;,.:?!=+-*/%&|^~"\'@$\\ \n\t0123456789abcxyzXYZ_';
const numberSwaps = ['0', '-1', '2147483647', '-2147483648', '1e308', '0.5', '9223372036854775807L', '100000'];
const stringSwaps = ['""', 'null', '"{"', '"\\u0000"', '"a,b"', '"2024-13-45"', '"[1,2"', '"{\\"a\\":1}"', '"ﬀ😀"'];
const limits = { maxSteps: 20_000, maxMilliseconds: 250, maxStringLength: 100_000, maxCollectionSize: 10_000 };

function exercise(source: string): Outcome {
  let compiled;
  try {
    compiled = compileExpression(source, { limits });
  } catch (err) {
    assert.ok(err instanceof ExpressionCompileError, `compiler crashed on ${JSON.stringify(source)}: ${String((err as Error)?.stack ?? err)}`);
    assert.ok(err.reason.length > 0);
    assert.ok(err.offsetLine >= 1 && err.offsetLine <= source.split(/\r\n|\r|\n/).length, `line ${err.offsetLine} outside ${JSON.stringify(source)}`);
    assert.ok(err.offsetColumn >= 1, `column ${err.offsetColumn} for ${JSON.stringify(source)}`);
    return 'compile-error';
  }
  try {
    compiled.evaluate(fixtureContext());
    return 'evaluated';
  } catch (err) {
    assert.ok(err instanceof ExpressionEvaluationError, `evaluator crashed on ${JSON.stringify(source)}: ${String((err as Error)?.stack ?? err)}`);
    assert.ok(
      (err instanceof DotNetException && err.exceptionType !== 'Gatehouse.InternalError') || /exceeded its|exceeds the limit|nested too deeply/.test(err.message),
      `internal error on ${JSON.stringify(source)}: ${err.message}`,
    );
    return 'evaluation-error';
  }
}

const tokenSoup = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(fc.constantFrom(...vocabulary), fc.boolean()), { minLength: 1, maxLength: 25 }))
  .map(([isBlock, tokens]) => {
    const body = tokens.map(([t, space]) => t + (space ? ' ' : '')).join('');
    return isBlock ? `@{${body}}` : `@(${body})`;
  });

/** A golden source with some number or string literals swapped for edge values: still well-formed. */
const edgeValues = fc
  .tuple(fc.constantFrom(...goldenSources), fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }))
  .map(([seed, swaps]) => {
    let s = seed;
    for (const [useNumber, which, pick] of swaps) {
      const matches = [...s.matchAll(useNumber ? /\b\d+(\.\d+)?\b/g : /"(?:[^"\\]|\\.)*"/g)];
      if (matches.length === 0) continue;
      const m = matches[which % matches.length]!;
      const swapsFor = useNumber ? numberSwaps : stringSwaps;
      s = s.slice(0, m.index) + swapsFor[pick % swapsFor.length] + s.slice(m.index! + m[0].length);
    }
    return s;
  });

describe('fuzz: policy expressions', () => {
  it('edits of the golden sources reach all three outcomes and never crash', () => {
    const counts: Record<Outcome, number> = { 'compile-error': 0, evaluated: 0, 'evaluation-error': 0 };
    checkProperty(mutatedText(goldenSources, sourceAlphabet), (source) => void counts[exercise(source)]++, 1500);
    assert.ok(counts['compile-error'] > 0 && counts.evaluated > 0 && counts['evaluation-error'] > 0, JSON.stringify(counts));
  });

  it('edge values in well-formed expressions never crash the runtime', () => {
    const counts: Record<Outcome, number> = { 'compile-error': 0, evaluated: 0, 'evaluation-error': 0 };
    checkProperty(edgeValues, (source) => void counts[exercise(source)]++, 1500);
    assert.ok(counts.evaluated > 0 && counts['evaluation-error'] > 0, JSON.stringify(counts));
  });

  it('token soups and random characters never crash the compiler', () => {
    checkProperty(tokenSoup, (source) => void exercise(source), 1500);
    checkProperty(fc.tuple(fc.boolean(), fc.string({ maxLength: 40 })), ([isBlock, body]) => void exercise(isBlock ? `@{${body}}` : `@(${body})`), 500);
    checkProperty(fc.string({ unit: 'grapheme', maxLength: 30 }), (body) => void exercise(`@(${body})`), 300);
  });

  it('pathological nesting and sizes fail cleanly', () => {
    exercise('@(' + '('.repeat(20_000) + '1' + ')'.repeat(20_000) + ')');
    exercise('@(' + '-'.repeat(20_000) + '1)');
    exercise('@(' + '1+'.repeat(20_000) + '1)');
    exercise('@("' + 'a'.repeat(200_000) + '")');
    exercise('@($"' + '{1}'.repeat(5_000) + '")');
    exercise('@{' + 'if (true) { '.repeat(5_000) + 'return 1;' + ' }'.repeat(5_000) + '}');
  });
});
