/**
 * Probe (issue 11, finding 9): an expression keeps to its time budget within 10 % (plus slack
 * for a shared machine, as a ratio of the budget) even when its time goes into native calls
 * that each take milliseconds (RSA-4096, hashing), and the default budget is short.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { compileExpression, defaultLimits, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { fixtureContext } from '../expressions/fixture-context.js';

const allowedRatio = 1.1 + 0.4;
const budgetError = /^Expression evaluation failed\. The expression exceeded its time budget of \d+ ms\./;

/** Runs `source` until it fails with the budget error; returns the elapsed time as a ratio of the budget. */
function overrun(source: string, budgetMs: number, variables: Record<string, unknown> = {}): number {
  const compiled = compileExpression(source, { limits: { maxMilliseconds: budgetMs, maxSteps: Number.MAX_SAFE_INTEGER } });
  const context = fixtureContext({ variables });
  const started = performance.now();
  assert.throws(() => compiled.evaluate(context), (err: unknown) => err instanceof ExpressionEvaluationError && budgetError.test(err.message));
  return (performance.now() - started) / budgetMs;
}

describe('expression time budgets hold within 10 %', () => {
  it('stops a loop of RSA-4096 signatures at the budget, not 256 signatures later', { timeout: 120_000 }, () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const ratio = overrun(
      '@{ var rsa = RSA.Create(); rsa.ImportFromPem((string)context.Variables["pem"]); var data = new byte[] { 1, 2, 3 }; while (true) { rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); } }',
      300,
      { pem },
    );
    assert.ok(ratio <= allowedRatio, `ran ${ratio.toFixed(2)} × the budget`);
  });

  it('stops a loop hashing a large input at the budget', { timeout: 120_000 }, () => {
    const ratio = overrun('@{ var data = Encoding.UTF8.GetBytes(new string(\'x\', 330000)); while (true) { SHA512.HashData(data); } }', 200);
    assert.ok(ratio <= allowedRatio, `ran ${ratio.toFixed(2)} × the budget`);
  });

  it('has a default time budget of at most half a second', () => {
    assert.ok(defaultLimits.maxMilliseconds <= 500, `default ${defaultLimits.maxMilliseconds} ms`);
    const compiled = compileExpression('@{ var n = 0; while (true) { n = "abc".GetHashCode(); } }', { limits: { maxSteps: Number.MAX_SAFE_INTEGER } });
    assert.throws(() => compiled.evaluate(fixtureContext()), new RegExp(`exceeded its time budget of ${defaultLimits.maxMilliseconds} ms`));
  });
});
