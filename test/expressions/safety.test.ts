/**
 * Safety limits: step budget, wall-clock budget, string and collection caps. Hitting any of
 * them is an ExpressionEvaluationError naming the limit; no test asserts on timings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { fixtureContext } from './fixture-context.js';
import { analyzeRegex, needsBound } from '../../src/expressions/runtime/bounded-regex.js';

/**
 * Evaluates and expects the error `pattern`. The wall-clock budget is a minute unless a test sets
 * it: on a loaded machine the default 500 ms could end a run before the limit under test does.
 */
function fails(source: string, pattern: RegExp, limits = {}): void {
  const compiled = compileExpression(source, { limits: { maxMilliseconds: 60_000, ...limits } });
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

  it('bounds XPath: nesting refused when saved, node visits charged to the step budget', () => {
    const nested = '('.repeat(5000) + '1' + ')'.repeat(5000);
    assert.throws(() => compileExpression(`@(XDocument.Parse("<a/>").XPathEvaluate("${nested}"))`), /nests deeper than 100 levels/);
    fails(`@{ var p = "${nested}"; return XDocument.Parse("<a/>").XPathEvaluate(p); }`, /nests deeper than 100 levels/);
    const wide = `"<r>" + string.Concat(Enumerable.Repeat("<i><j/></i>", 2000)) + "</r>"`;
    fails(`@(XDocument.Parse(${wide}).XPathSelectElements("//*[count(//j) > 0]").Count())`, /exceeded its budget of 100000 steps/, { maxSteps: 100_000 });
    const deep = `string.Concat(Enumerable.Repeat("<d>", 20000)) + string.Concat(Enumerable.Repeat("</d>", 20000))`;
    const compiled = compileExpression(`@(XDocument.Parse(${deep}).XPathSelectElements("//d[not(d)]/../..").Count())`);
    assert.equal(compiled.evaluate(fixtureContext()), 1);
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

  // The regex timeout, or the budget error when a loaded machine spent the budget before the
  // bounded match began (a bounded match never starts with nothing left).
  const timedOut = /^Expression evaluation failed\. (The Regex engine has timed out while trying to match a pattern to an input string\.|The expression exceeded its time budget of 50 ms\.)/;
  const evil = `"${'a'.repeat(34)}!"`;

  it('stops a catastrophic regex inside a single match at the time budget', { timeout: 60_000 }, () => {
    const limits = { maxMilliseconds: 50 };
    for (const source of [
      `@(Regex.IsMatch(${evil}, @"^(a+)+$"))`,
      `@(Regex.Match(${evil}, @"^(a|aa)+$").Success)`,
      `@(Regex.Matches(${evil}, @"(a*)*b").Count)`,
      `@(Regex.Replace(${evil}, @"^(\\w+\\s?)*$", "x"))`,
      `@(Regex.Split(${evil}, @"(a+)+b").Length)`,
      `@(new Regex(@"^(a+)+$", RegexOptions.IgnoreCase).IsMatch(${evil}))`,
      `@(new Regex(@"^(a+)+$").Match(${evil}).NextMatch().Success)`,
      `@(Regex.IsMatch(${evil}, @"^(a+)\\1*(a+)+$"))`,
      // Polynomial, not exponential: three overlapping loops over a long input.
      `@(Regex.IsMatch(new string('a', 200000), @"a*a*a*b"))`,
      // A Replace evaluator running another catastrophic match.
      `@(Regex.Replace("x", "x", m => Regex.IsMatch(${evil}, @"^(a+)+$").ToString()))`,
    ]) {
      fails(source, timedOut, limits);
    }
  });

  it('lets an expression catch the RegexMatchTimeoutException like .NET', { timeout: 60_000 }, () => {
    const compiled = compileExpression(`@{ try { return Regex.IsMatch(${evil}, @"^(a+)+$").ToString(); } catch (RegexMatchTimeoutException) { return "timeout"; } }`, { limits: { maxMilliseconds: 50 } });
    assert.equal(compiled.evaluate(fixtureContext()), 'timeout');
  });

  it('still answers regex operations under the bound correctly', () => {
    const compiled = compileExpression(`@(Regex.Replace("key = value; a=b", @"(\\w+)\\s*=\\s*(\\w+)", "$2:$1") + "|" + Regex.IsMatch("${'a'.repeat(34)}", @"^(a+)+$") + "|" + Regex.Matches("aXbbXc", @"(b|c)+").Count)`);
    assert.equal(compiled.evaluate(fixtureContext()), 'value:key; b:a|True|2');
  });

  it('classifies patterns conservatively: nested or overlapping quantifiers and back-references run bounded', () => {
    // Exponential shapes may run directly only on inputs too short to backtrack far.
    for (const p of ['^(a+)+$', '(a|aa)*b', '(\\w+\\s?)*$', '((ab)*c)*', '(a{1,3}){2,}', '(?:a+)+b', '(?:x|xy)*z']) {
      assert.ok(analyzeRegex(p).directInputLength < 16, p);
      assert.equal(needsBound(analyzeRegex(p), 30), true, p);
    }
    // Fixed counts multiply the choices of what they repeat.
    assert.equal(needsBound(analyzeRegex('^(\\d|[0-9a-f]){30}$'), 0), true);
    for (const p of ['(x)\\1', '(?<n>x)\\k<n>']) assert.equal(needsBound(analyzeRegex(p), 0), true, p);
    // Linear patterns on short inputs take the direct path; long inputs are bounded.
    for (const p of ['\\d+', '^/api/(\\w+)$', '^[a-z]{2,5}$', '(\\d+)?x', '[(+*)]+', '(?:ab)+c', '^(?<id>[0-9a-f]{8})$', '(?=x)y']) {
      assert.equal(needsBound(analyzeRegex(p), 20), false, p);
    }
    assert.equal(needsBound(analyzeRegex('a*a*a*b'), 200_000), true);
    assert.equal(needsBound(analyzeRegex('\\d+'), 4_000_000), true);
  });

  it('caps and charges RSA key generation', () => {
    fails('@(Convert.ToBase64String(RSA.Create(8192).ExportRSAPublicKey()))', /Generating keys larger than 4096 bits is not supported/);
    fails('@{ for (var i = 0; i < 100; i++) { RSA.Create(1024).ExportRSAPublicKey(); } return 1; }', /exceeded its time budget of 5 ms/, { maxMilliseconds: 5 });
  });
});
