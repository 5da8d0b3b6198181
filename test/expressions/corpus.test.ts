/**
 * Every `@(...)`/`@{...}` in the policy-snippet corpus (test/fixtures/corpus/policy-snippets) goes
 * through the parser and the checker. The snippets that do not compile are listed here with the
 * reason; anything else failing (or a new snippet starting to fail) breaks the test.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compileExpression, ExpressionCompileError, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { parseProgram } from '../../src/expressions/parser.js';
import { extractExpressions } from './corpus-extract.js';
import { fixtureContext } from './fixture-context.js';

const root = new URL('../fixtures/corpus/policy-snippets/', import.meta.url).pathname;

function xmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return xmlFiles(path);
    return name.endsWith('.xml') ? [path] : [];
  });
}

/** Snippets that are not valid C# in the corpus itself: an export turned `"` into `"""`. */
const corruptInCorpus: Record<string, number[]> = {
  'Call out to an HTTP endpoint and cache the response.policy.xml': [16, 31, 35, 35, 40],
  'Loopback request for service at same API Management service.xml': [15],
};

/** Valid APIM expressions that use .NET surface Gatehouse does not allow (yet), and why. */
const outsideAllowList: Record<string, { line: number; reason: RegExp; why: string }[]> = {};

describe('policy-snippet corpus expressions', () => {
  const all = xmlFiles(root).flatMap((file) =>
    extractExpressions(readFileSync(file, 'utf8')).map((e) => ({ ...e, file: relative(root, file) })),
  );

  it('finds the corpus expressions', () => {
    assert.ok(all.length >= 150, `only ${all.length} expressions found`);
  });

  it('parses every expression except the ones corrupted in the corpus', () => {
    const failures: string[] = [];
    for (const e of all) {
      try {
        parseProgram(e.source);
      } catch (err) {
        assert.ok(err instanceof ExpressionCompileError, `parser crashed on ${e.file}:${e.line}: ${String(err)}`);
        failures.push(`${e.file}:${e.line}`);
      }
    }
    const expected = Object.entries(corruptInCorpus).flatMap(([file, lines]) => lines.map((l) => `${file}:${l}`));
    assert.deepEqual(failures.sort(), expected.sort());
  });

  it('type-checks every parseable expression except the listed ones outside the allow-list', () => {
    const failures: string[] = [];
    for (const e of all) {
      const corrupt = corruptInCorpus[e.file]?.includes(e.line);
      if (corrupt) continue;
      try {
        compileExpression(e.source);
      } catch (err) {
        assert.ok(err instanceof ExpressionCompileError);
        const known = outsideAllowList[e.file]?.find((k) => k.line === e.line);
        assert.ok(known, `unexpected compile failure at ${e.file}:${e.line}: ${err.reason}`);
        assert.match(err.reason, known.reason);
        failures.push(`${e.file}:${e.line}`);
      }
    }
    const expected = Object.entries(outsideAllowList).flatMap(([file, list]) => list.map((k) => `${file}:${k.line}`));
    assert.deepEqual(failures.sort(), expected.sort());
  });

  it('evaluates every compiled expression to a value or a .NET-style evaluation error, never a crash', () => {
    let evaluated = 0;
    for (const e of all) {
      let compiled;
      try {
        compiled = compileExpression(e.source);
      } catch {
        continue;
      }
      try {
        compiled.evaluate(fixtureContext());
      } catch (err) {
        assert.ok(err instanceof ExpressionEvaluationError, `${e.file}:${e.line} crashed: ${String(err)}`);
        assert.match(err.message, /^Expression evaluation failed\./);
      }
      evaluated++;
    }
    assert.ok(evaluated >= 150);
  });
});

describe('policy-expressions README cheat-sheet', () => {
  const readme = readFileSync(join(root, 'policy-expressions-README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```c#\r?\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());

  it('compiles every cheat-sheet expression', () => {
    assert.ok(snippets.length >= 20, `only ${snippets.length} snippets`);
    for (const code of snippets) {
      const source = /;\s*$/.test(code) || /\breturn\b/.test(code) ? `@{ ${code} }` : `@(${code})`;
      assert.doesNotThrow(() => compileExpression(source), `${source}`);
    }
  });

  it('evaluates the header, parameter, variable and JWT snippets against a request', () => {
    const ctx = fixtureContext();
    const value = (source: string): unknown => compileExpression(source).evaluate(ctx);
    assert.equal(value('@(context.Request.Headers.GetValueOrDefault("Content-Type","optional-default-value"))'), 'application/json');
    assert.equal(value('@(context.Request.MatchedParameters.ContainsKey("id") == true)'), true);
    assert.equal(value('@(context.Request.Url.Query.GetValueOrDefault("b", "optional-default-value"))'), 'x y');
    assert.equal(value('@(context.Variables.GetValueOrDefault<string>("str","").Equals("HELLO", StringComparison.OrdinalIgnoreCase))'), true);
    assert.equal(value('@(context.Request.Headers.GetValueOrDefault("Authorization")?.Split(\' \')?[1].AsJwt()?.Claims["sub"].FirstOrDefault())'), '1234567890');
    assert.equal(value('@(context.Request.Certificate != null)'), false);
    assert.throws(() => value('@(context.Request.Certificate.Thumbprint == "X")'), /Object reference not set/);
    assert.equal(value('@(context.Deployment.Certificates.Any(c => c.Value.Thumbprint == "X") == true)'), false);
  });
});
