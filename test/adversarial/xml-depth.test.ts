/**
 * Probe (issue 11, finding 7): deeply nested XML bodies. `Body.As<XDocument>()` on 20,000
 * nested elements must parse, navigate and print without blowing the stack, and parsing time
 * must not grow with depth: a document 20,000 deep parses in about the time of 20,000 sibling
 * elements (a ratio, never a time). Depth N against 4N is not compared directly: V8's garbage
 * collection alone makes building any 4× larger tree well over 4× slower once it leaves the
 * young generation, which would hide the difference this test is about.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { fixtureContext } from '../expressions/fixture-context.js';

function nested(depth: number): string {
  return '<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth);
}

function siblings(count: number): string {
  return '<a>' + '<a>x</a>'.repeat(count - 1) + '</a>';
}

/** Evaluates `source` against a request whose body is `body`. */
function evaluate(source: string, body: string, limits = {}): unknown {
  return compileExpression(source, { limits }).evaluate(fixtureContext({ body }));
}

const parseRoot = compileExpression('@(context.Request.Body.As<XDocument>(preserveContent: true).Root.Name.LocalName)', {
  limits: { maxMilliseconds: 600_000, maxSteps: Number.MAX_SAFE_INTEGER },
});

/** One parse of `body`, in ms. */
function parseMs(body: string): number {
  const context = fixtureContext({ body });
  const started = performance.now();
  assert.equal(parseRoot.evaluate(context), 'a');
  return performance.now() - started;
}

/**
 * The fastest of several parses at each depth, taken in turns so that load from other
 * processes on a shared machine falls on both alike.
 */
function fastestParses(bodies: string[], rounds: number): number[] {
  const best = bodies.map(() => Infinity);
  for (let round = 0; round < rounds; round++) {
    bodies.forEach((body, i) => {
      best[i] = Math.min(best[i]!, parseMs(body));
    });
  }
  return best;
}

describe('deeply nested XML bodies', () => {
  it('parses and navigates 20,000 nested elements (about 140 KB)', () => {
    const body = nested(20_000);
    // A budget that tolerates a loaded machine; speed is the next test's subject.
    const limits = { maxMilliseconds: 5_000 };
    assert.equal(evaluate('@(context.Request.Body.As<XDocument>(preserveContent: true).Root.Name.LocalName)', body, limits), 'a');
    assert.equal(evaluate('@(context.Request.Body.As<XDocument>(preserveContent: true).Descendants("a").Count())', body, limits), 20_000);
    assert.equal(evaluate('@(context.Request.Body.As<XElement>(preserveContent: true).Value)', body, limits), 'x');
  });

  it('parses 20,000 nested elements in about the time of 20,000 siblings', { timeout: 300_000 }, () => {
    fastestParses([nested(2_000), siblings(2_000)], 2); // warm-up
    const [deep, flat] = fastestParses([nested(20_000), siblings(20_000)], 7);
    const ratio = deep! / flat!;
    assert.ok(ratio < 5, `20,000 deep took ${ratio.toFixed(1)}× as long as 20,000 siblings`);
  });

  it('stops printing a very deep document at the string limit instead of building its indentation', () => {
    assert.throws(
      () => evaluate('@(context.Request.Body.As<XDocument>(preserveContent: true).ToString())', nested(20_000), { maxStringLength: 1_000_000 }),
      (err: unknown) => err instanceof ExpressionEvaluationError && /exceeds the limit of 1000000/.test(err.message),
    );
  });

  it('still resolves namespaces per element and refuses unbound prefixes', () => {
    const doc = '<r xmlns="urn:d" xmlns:p="urn:p"><p:a p:x="1"><b xmlns="urn:e" y="2"/></p:a><c/></r>';
    assert.equal(
      evaluate('@{ var d = context.Request.Body.As<XDocument>(preserveContent: true); return string.Join(",", d.Descendants().Select(e => e.Name.ToString())) + "|" + d.Root.Element("{urn:p}a").Attribute("{urn:p}x").Value; }', doc),
      '{urn:d}r,{urn:p}a,{urn:e}b,{urn:d}c|1',
    );
    assert.throws(() => evaluate('@(context.Request.Body.As<XDocument>(preserveContent: true).Root)', '<q:a/>'), /unbound namespace prefix: "q"/);
    assert.throws(() => evaluate('@(context.Request.Body.As<XDocument>(preserveContent: true).Root)', '<a xmlns:p="urn:p" xmlns:q="urn:p" p:x="1" q:x="2"/>'), /duplicate attribute: \{urn:p\}x/);
  });
});
