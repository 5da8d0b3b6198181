/**
 * Probe (issue 11, finding 2): catastrophic regular expressions must not outlast the
 * expression's time budget. Each case either answers or fails with the regex timeout / budget
 * error, and takes at most the budget plus 10 % plus a slack for a noisy machine, all measured
 * as a ratio of the budget (no absolute timings).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { fixtureContext } from '../expressions/fixture-context.js';

const budgetMs = 300;
/** Allowed elapsed time as a ratio of the budget: the 10 % overrun plus slack for a shared CPU. */
const allowedRatio = 1.1 + 0.5;
const budgetError = /^Expression evaluation failed\. (The Regex engine has timed out|The expression exceeded its time budget)/;

/** Runs `Regex.IsMatch(input, pattern)` and returns the elapsed time as a ratio of the budget. */
function elapsedRatio(pattern: string, input: string): number {
  const verbatim = pattern.replace(/"/g, '""');
  const compiled = compileExpression(`@(Regex.IsMatch((string)context.Variables["input"], @"${verbatim}"))`, {
    limits: { maxMilliseconds: budgetMs, maxSteps: Number.MAX_SAFE_INTEGER },
  });
  const started = performance.now();
  try {
    const answer = compiled.evaluate(fixtureContext({ variables: { input } }));
    assert.equal(typeof answer, 'boolean');
  } catch (err) {
    assert.ok(err instanceof ExpressionEvaluationError, String(err));
    assert.match(err.message, budgetError);
  }
  return (performance.now() - started) / budgetMs;
}

describe('catastrophic regular expressions stay within the time budget', () => {
  const cases: Array<[string, string, string]> = [
    ['the probe: an alternation under a fixed count', '^(\\d|[0-9a-f]){30}$', '1'.repeat(30) + '!'],
    ['a nested plus', '(a+)+$', 'a'.repeat(40) + '!'],
    ['an alternation of equal branches under a star', '(a|a)*$', 'a'.repeat(40) + '!'],
    ['overlapping branches under a star', '(a|aa)*b', 'a'.repeat(60)],
    ['nested counted groups', '^((a{1,2}){1,3}){12}$', 'a'.repeat(40) + '!'],
    ['overlapping branches under a fixed count', '^(a|ab|a.){28}$', 'a'.repeat(56) + '!'],
    ['a counted group over a quantified atom', '^(\\w+\\d?){20}!$', 'a1'.repeat(30)],
  ];
  for (const [name, pattern, input] of cases) {
    it(`${name}: ${pattern}`, { timeout: 120_000 }, () => {
      const ratio = elapsedRatio(pattern, input);
      assert.ok(ratio <= allowedRatio, `took ${ratio.toFixed(2)} × the budget`);
    });
  }

  it('answers correctly when the pattern matches', () => {
    assert.ok(elapsedRatio('^(\\d|[0-9a-f]){30}$', '0123456789abcdef0123456789abcd') <= allowedRatio);
    const compiled = compileExpression('@(Regex.IsMatch("0123456789abcdef0123456789abcd", @"^(\\d|[0-9a-f]){30}$"))');
    assert.equal(compiled.evaluate(fixtureContext()), true);
  });
});
