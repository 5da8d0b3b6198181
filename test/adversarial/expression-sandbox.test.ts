/**
 * Probe (issue 11, finding 10): JavaScript's Object.prototype members are not reachable from
 * expressions on any value (a compile error, as Azure's compiler refuses unknown members), and
 * building collections from strings respects the collection-size limit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, ExpressionCompileError, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { fixtureContext } from '../expressions/fixture-context.js';
import { callMember, getMember } from '../../src/expressions/runtime/dispatch.js';
import { HostObject } from '../../src/expressions/runtime/host-object.js';
import { Runtime, defaultLimits } from '../../src/expressions/runtime/budget.js';

const prototypeMembers = ['valueOf', 'toString', 'constructor', '__proto__', '__lookupGetter__', '__lookupSetter__', '__defineGetter__', '__defineSetter__', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];

describe('Object.prototype is out of reach', () => {
  for (const owner of ['context', 'context.Request', 'context.Request.Url', 'context.Variables', 'context.Request.Headers', 'context.Api', 'context.Subscription']) {
    it(`refuses JavaScript members on ${owner} at compile time`, () => {
      for (const member of prototypeMembers) {
        for (const source of [`@(${owner}.${member})`, `@(${owner}.${member}())`, `@(${owner}.${member}("Method"))`]) {
          assert.throws(() => compileExpression(source), (err: unknown) => err instanceof ExpressionCompileError && /does not contain a definition|is not supported within expressions/.test(err.message), source);
        }
      }
    });
  }

  it('refuses them at run time too, whatever the checker let through', () => {
    const rt = new Runtime(defaultLimits, Date.now);
    const request = new HostObject('IRequest', fixtureContext().Request as object);
    const site = { rt, typeArgs: [], named: new Map(), name: 'x' };
    for (const member of prototypeMembers) {
      assert.throws(() => getMember(request, member, rt), /does not contain a definition/, member);
      assert.throws(() => callMember(request, member, ['Method'], site), /No overload for method|does not contain a definition/, member);
    }
  });

  it('keeps ToString on context objects answering .NET type names', () => {
    assert.equal(compileExpression('@(context.Request.ToString())').evaluate(fixtureContext()), 'Microsoft.Azure.ApiManagement.IRequest');
  });
});

describe('collections built from strings respect the collection-size limit', () => {
  const limits = { maxCollectionSize: 1000 };
  const tooLarge = /collection of 5000 elements exceeds the limit of 1000/;
  for (const source of [
    '@(new string(\'x\', 5000).ToCharArray().Length)',
    '@(new string(\'x\', 5000).ToList().Count)',
    '@(new string(\'x\', 5000).ToArray().Length)',
    '@(new string(\'x\', 5000).Select(c => c).Count())',
    '@(string.Join(",", new string(\'x\', 5000).ToCharArray()))',
    '@(string.Concat(new string(\'x\', 5000).Reverse()))',
  ]) {
    it(source, () => {
      const compiled = compileExpression(source, { limits });
      assert.throws(() => compiled.evaluate(fixtureContext()), (err: unknown) => err instanceof ExpressionEvaluationError && tooLarge.test(err.message), source);
    });
  }
  it('Regex.Split and string.Split', () => {
    for (const source of ['@(Regex.Split(new string(\',\', 4999), ",").Length)', '@(new string(\',\', 4999).Split(\',\').Length)']) {
      assert.throws(() => compileExpression(source, { limits }).evaluate(fixtureContext()), tooLarge, source);
    }
  });
});
