/**
 * Safety limits: step budget, wall-clock budget, string and collection caps. Hitting any of
 * them is an ExpressionEvaluationError naming the limit; no test asserts on timings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { fixtureContext } from './fixture-context.js';

function fails(source: string, pattern: RegExp, limits = {}): void {
  const compiled = compileExpression(source, { limits });
  assert.throws(() => compiled.evaluate(fixtureContext()), (err: unknown) => {
    assert.ok(err instanceof ExpressionEvaluationError, String(err));
    assert.match(err.message, pattern);
    return true;
  });
}

describe('expression safety limits', () => {
  it('stops an endless loop at the step budget', () => {
    fails('@{ while (true) { } }', /exceeded its budget of 1000000 steps/);
    fails('@{ var i = 0; for (;;) { i++; } }', /exceeded its budget of 5000 steps/, { maxSteps: 5000 });
    fails('@{ var n = 0; foreach (var x in Enumerable.Range(0, 100000)) { n += x; } return n; }', /exceeded its budget of 1000 steps/, { maxSteps: 1000 });
  });

  it('counts lambda calls inside LINQ against the budget', () => {
    fails('@(Enumerable.Range(0, 50000).Where(x => x > 0).Count())', /exceeded its budget/, { maxSteps: 10_000 });
  });

  it('stops at the wall-clock budget even when steps remain', () => {
    fails('@{ while (true) { } }', /exceeded its time budget of 20 ms/, { maxSteps: Number.MAX_SAFE_INTEGER, maxMilliseconds: 20 });
  });

  it('caps string sizes', () => {
    fails('@{ var s = "ab"; while (true) { s += s; } }', /exceeds the limit of 1024/, { maxStringLength: 1024 });
    fails('@(new string(\'x\', 100000000))', /A string of 100000000 characters exceeds the limit/);
    fails('@("x".PadLeft(int.MaxValue))', /exceeds the limit/);
    fails('@(string.Join(",", Enumerable.Repeat("abcdef", 5000)))', /exceeds the limit of 1000/, { maxStringLength: 1000 });
    fails("@(new StringBuilder().Append('x', 5000).ToString())", /exceeds the limit of 100/, { maxStringLength: 100 });
  });

  it('caps collection sizes', () => {
    fails('@(Enumerable.Range(0, 2000000).Count())', /collection of 2000000 elements exceeds the limit of 1000000/);
    fails('@{ var l = new List<int>(); while (true) { l.Add(1); } }', /collection of 101 elements exceeds the limit of 100/, { maxCollectionSize: 100 });
    fails('@(new int[5000].Length)', /exceeds the limit of 1000/, { maxCollectionSize: 1000 });
  });

  it('keeps budgets per evaluation, not per compiled expression', () => {
    const compiled = compileExpression('@{ var n = 0; for (var i = 0; i < 400; i++) { n++; } return n; }', { limits: { maxSteps: 500 } });
    for (let i = 0; i < 5; i++) assert.equal(compiled.evaluate(fixtureContext()), 400);
  });

  it('offers no I/O or reflection', () => {
    for (const source of [
      '@(System.IO.File.Exists("/etc/passwd"))',
      '@(System.Diagnostics.Process.Start("sh"))',
      '@(Type.GetType("System.IO.File"))',
      '@("x".GetType().Assembly)',
      '@(AppDomain.CurrentDomain)',
      '@(new System.Net.Http.HttpClient())',
      '@(Environment.Exit(1))',
    ]) {
      assert.throws(() => compileExpression(source), /not supported within expressions|does not exist in the current context/, source);
    }
  });
});
