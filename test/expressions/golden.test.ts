import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, ExpressionCompileError, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { display, typeNameOf } from '../../src/expressions/runtime/display.js';
import { fixtureContext } from './fixture-context.js';
import { goldenGroups, type GoldenCase } from './golden-cases.js';

// The table checks values, not the time budget (test/expressions/safety has those): a generous
// budget keeps a costly case (x509 chain checks) from failing on a loaded machine.
const valueOnly = { limits: { maxMilliseconds: 30_000 } };

function run(c: GoldenCase): void {
  const [source, kind, expected] = c;
  if (kind === 'compile') {
    assert.throws(() => compileExpression(source, valueOnly), (err: unknown) => {
      assert.ok(err instanceof ExpressionCompileError, `expected a compile error, got ${String(err)}`);
      if (typeof expected === 'string') assert.equal(err.reason, expected);
      else assert.match(err.reason, expected);
      if (c[3] !== undefined) assert.equal(err.offsetLine, c[3], 'line');
      if (c[4] !== undefined) assert.equal(err.offsetColumn, c[4], 'column');
      return true;
    });
    return;
  }
  const compiled = compileExpression(source, valueOnly);
  if (kind === 'error') {
    assert.throws(() => compiled.evaluate(fixtureContext()), (err: unknown) => {
      assert.ok(err instanceof ExpressionEvaluationError, `expected an evaluation error, got ${String(err)}`);
      const message = err.message.replace(/^Expression evaluation failed\. /, '');
      if (typeof expected === 'string') assert.equal(message, expected);
      else assert.match(message, expected);
      return true;
    });
    return;
  }
  const value = compiled.evaluate(fixtureContext());
  if (kind === 'null') {
    assert.equal(value, null);
    return;
  }
  assert.equal(typeNameOf(value), kind, `type of ${source}`);
  assert.equal(display(value), expected);
}

describe('expression golden table', () => {
  let total = 0;
  for (const [group, cases] of Object.entries(goldenGroups)) {
    describe(group, () => {
      for (const c of cases) {
        total++;
        it(c[0].replace(/\s+/g, ' ').slice(0, 140), () => run(c));
      }
    });
  }
  it('has at least 300 cases', () => {
    assert.ok(total >= 300, `only ${total} cases`);
  });
});
