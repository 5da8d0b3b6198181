/**
 * The error catalogue guard (DESIGN.md: "Every error has a stable code in one registry and a
 * line in the docs"). It reads src/ with the TypeScript parser, collects every
 * `context.LastError.Reason` the code can raise, and fails, naming them, when one is missing
 * from docs/errors.md.
 *
 * Reasons are found where they are born:
 * - the reason argument of `new PolicyRuntimeError(source, reason, …)`. A literal counts
 *   directly. A non-literal one is traced back: through a local helper's parameter to the
 *   helper's call sites (check-header's `fail('HeaderNotFound', …)`), through a variable to its
 *   initializer, and through `err.reason` of an `err instanceof C` to the arguments of every
 *   `new C(…)` (validate-jwt's TokenRejected);
 * - `reason` fields of objects and types, in the gateway-error registry and in the policies'
 *   helpers (`reason: 'TokenClaimNotFound' | 'TokenClaimValueNotAllowed'`).
 * A reason expression that cannot be traced fails the guard too, so a new way of passing
 * reasons cannot slip past it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { gatewayErrors } from '../../src/core/gateway-errors.js';

const root = new URL('../..', import.meta.url).pathname;
const catalogueFile = 'docs/errors.md';

interface SourceText {
  /** Path relative to the repository, '/'-separated. */
  path: string;
  text: string;
}

interface ReasonScan {
  /** Each reason with the places (`file:line`) it comes from. */
  reasons: Map<string, Set<string>>;
  /** Reason expressions that could not be traced to literals, as `file:line: expression`. */
  untraced: string[];
}

/** Files whose `reason` fields and types are LastError reasons (routing's are internal). */
const reasonFieldFiles = (path: string): boolean =>
  path === 'src/core/gateway-errors.ts' || path.startsWith('src/policies/') || path.startsWith('src/pipeline/');

/** Every .ts file under a folder of the repository. */
function readSources(folder: string): SourceText[] {
  const out: SourceText[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push({ path: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(root, folder));
  return out;
}

/** Collects the LastError reasons raised by a set of source files. */
function scanReasons(sources: readonly SourceText[]): ReasonScan {
  const files = sources.map((s) => ({ path: s.path, ast: ts.createSourceFile(s.path, s.text, ts.ScriptTarget.Latest, true) }));
  const reasons = new Map<string, Set<string>>();
  const untraced: string[] = [];

  const where = (node: ts.Node): string => {
    const file = node.getSourceFile();
    return `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };
  const add = (reason: string, node: ts.Node): void => {
    if (!reasons.has(reason)) reasons.set(reason, new Set());
    reasons.get(reason)!.add(where(node));
  };
  const visit = (node: ts.Node, fn: (n: ts.Node) => void): void => {
    fn(node);
    node.forEachChild((child) => visit(child, fn));
  };
  const everywhere = (fn: (n: ts.Node) => void): void => {
    for (const f of files) visit(f.ast, fn);
  };

  const isFunctionLike = (n: ts.Node): n is ts.SignatureDeclaration & { parameters: ts.NodeArray<ts.ParameterDeclaration> } =>
    ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n);

  /** The name a function is called by (declaration name, or the variable holding it). */
  const calleeName = (fn: ts.Node): string | undefined => {
    if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) {
      return fn.parent.name.text;
    }
    return undefined;
  };

  /** Arguments at `index` of every `new className(…)` in all files. */
  const constructorArguments = (className: string, index: number): ts.Expression[] => {
    const out: ts.Expression[] = [];
    everywhere((n) => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === className && n.arguments?.[index]) {
        out.push(n.arguments[index]!);
      }
    });
    return out;
  };

  /** The index of the constructor parameter `reason` of a class declared in the sources. */
  const reasonParameterOf = (className: string): number | undefined => {
    let index: number | undefined;
    everywhere((n) => {
      if (!ts.isClassDeclaration(n) || n.name?.text !== className) return;
      const ctor = n.members.find(ts.isConstructorDeclaration);
      const i = ctor?.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === 'reason') ?? -1;
      if (i >= 0) index = i;
    });
    return index;
  };

  /** Traces an expression to the string literals it can hold; false when it cannot. */
  const trace = (expr: ts.Expression, seen: Set<ts.Node>): boolean => {
    if (seen.has(expr)) return true;
    seen.add(expr);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) {
      add(expr.text, expr);
      return true;
    }
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr)) {
      return trace(expr.expression, seen);
    }
    if (ts.isConditionalExpression(expr)) return trace(expr.whenTrue, seen) && trace(expr.whenFalse, seen);
    if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expr.operatorToken.kind)) {
      return trace(expr.left, seen) && trace(expr.right, seen);
    }
    if (ts.isIdentifier(expr)) return traceIdentifier(expr, seen);
    // `x.reason`: a class instance narrowed by instanceof, or a registry / helper `reason` field.
    if (ts.isPropertyAccessExpression(expr) && expr.name.text === 'reason') return traceReasonProperty(expr, seen);
    return false;
  };

  const traceIdentifier = (id: ts.Identifier, seen: Set<ts.Node>): boolean => {
    // A parameter of an enclosing function: follow the function's call sites.
    for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
      if (!isFunctionLike(n)) continue;
      const index = n.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
      if (index < 0) continue;
      if (ts.isConstructorDeclaration(n)) {
        const className = (n.parent as ts.ClassDeclaration).name?.text;
        const args = className ? constructorArguments(className, index) : [];
        return args.length > 0 && args.every((a) => trace(a, seen));
      }
      const name = calleeName(n);
      if (!name) return false;
      const args: ts.Expression[] = [];
      visit(id.getSourceFile(), (c) => {
        if (ts.isCallExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === name && c.arguments[index]) args.push(c.arguments[index]!);
      });
      return args.length > 0 && args.every((a) => trace(a, seen));
    }
    // A variable: follow its initializer (the nearest declaration before the use).
    let found: ts.VariableDeclaration | undefined;
    visit(id.getSourceFile(), (c) => {
      if (ts.isVariableDeclaration(c) && ts.isIdentifier(c.name) && c.name.text === id.text && c.initializer && c.getStart() < id.getStart()) found = c;
    });
    return found?.initializer ? trace(found.initializer, seen) : false;
  };

  const traceReasonProperty = (expr: ts.PropertyAccessExpression, seen: Set<ts.Node>): boolean => {
    const target = expr.expression;
    if (ts.isIdentifier(target)) {
      // `err instanceof C` in the enclosing function names the class whose constructor took it.
      let fn: ts.Node | undefined = expr.parent;
      while (fn && !isFunctionLike(fn)) fn = fn.parent;
      const classes = new Set<string>();
      if (fn) {
        visit(fn, (c) => {
          if (
            ts.isBinaryExpression(c) &&
            c.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
            ts.isIdentifier(c.left) &&
            c.left.text === target.text &&
            ts.isIdentifier(c.right)
          ) {
            classes.add(c.right.text);
          }
        });
      }
      for (const className of classes) {
        const index = reasonParameterOf(className);
        if (index === undefined) continue;
        const args = constructorArguments(className, index);
        return args.length > 0 && args.every((a) => trace(a, seen));
      }
    }
    // Otherwise it reads a `reason` field; those are all collected by collectReasonFields.
    return true;
  };

  /** `reason: 'X'` properties and `reason: 'A' | 'B'` types in registry and helper files. */
  const collectReasonFields = (): void => {
    for (const f of files) {
      if (!reasonFieldFiles(f.path)) continue;
      visit(f.ast, (n) => {
        if (ts.isPropertyAssignment(n) && n.name.getText() === 'reason') {
          const init = n.initializer;
          if (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) add(init.text, init);
        }
        if (ts.isPropertySignature(n) && n.name.getText() === 'reason' && n.type) {
          const types = ts.isUnionTypeNode(n.type) ? n.type.types : [n.type];
          for (const t of types) if (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)) add(t.literal.text, t.literal);
        }
      });
    }
  };

  everywhere((n) => {
    if (!ts.isNewExpression(n) || !ts.isIdentifier(n.expression) || n.expression.text !== 'PolicyRuntimeError') return;
    const reason = n.arguments?.[1];
    if (!reason) {
      untraced.push(`${where(n)}: PolicyRuntimeError without a reason argument`);
      return;
    }
    if (!trace(reason, new Set())) untraced.push(`${where(reason)}: ${reason.getText()}`);
  });
  collectReasonFields();
  return { reasons, untraced };
}

/** The codes a catalogue documents: every `backticked` word. */
function documentedCodes(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.trim()));
}

/** The reasons of a scan that a catalogue does not document, with where they come from. */
function undocumented(scan: ReasonScan, markdown: string): string[] {
  const documented = documentedCodes(markdown);
  return [...scan.reasons]
    .filter(([reason]) => !documented.has(reason))
    .map(([reason, places]) => `${reason} (${[...places].join(', ')})`)
    .sort();
}

const catalogue = readFileSync(join(root, catalogueFile), 'utf8');
const scan = scanReasons(readSources('src'));

describe('error catalogue (docs/errors.md)', () => {
  it('documents every LastError reason raised in src/', () => {
    const missing = undocumented(scan, catalogue);
    assert.deepEqual(missing, [], `Reasons missing from ${catalogueFile} (add a row with the reason in backticks):\n  ${missing.join('\n  ')}`);
  });

  it('traces every PolicyRuntimeError reason argument to literals', () => {
    assert.deepEqual(scan.untraced, [], `Reason expressions the guard cannot trace (pass a literal, or a helper parameter fed literals):\n  ${scan.untraced.join('\n  ')}`);
  });

  it('finds the reasons of every kind of source (the scan is not silently empty)', () => {
    const expected = [
      // literals passed to PolicyRuntimeError, directly or in the quota/rate-limit helpers
      'CallerIpBlocked', 'QuotaExceeded', 'RateLimitExceeded', 'BackendConnectionFailure', 'Timeout', 'BackendNotFound',
      // a local helper's parameter (check-header) and a variable (policy-sequence)
      'HeaderNotFound', 'HeaderValueNotAllowed', 'ExpressionValueEvaluationFailure', 'PolicyExecutionFailure',
      // validate-jwt's TokenRejected constructor and the required-claims reason union
      'TokenNotPresent', 'TokenExpired', 'JwtInvalid', 'TokenClaimNotFound', 'TokenClaimValueNotAllowed',
      // the gateway-error registry
      ...Object.values(gatewayErrors).map((e) => e.reason),
    ];
    const absent = expected.filter((r) => !scan.reasons.has(r));
    assert.deepEqual(absent, [], `the scan no longer finds: ${absent.join(', ')}`);
  });

  it('shows each gateway-generated error with its status, body message and LastError texts', () => {
    for (const e of Object.values(gatewayErrors)) {
      const row = catalogue.split('\n').find((line) => line.startsWith(`| \`${e.reason}\` |`));
      assert.ok(row, `no table row for ${e.reason}`);
      assert.ok(row.includes(`| ${e.status} |`), `${e.reason}: status ${e.status} not in its row`);
      assert.ok(row.includes(`\`${e.message}\``), `${e.reason}: body message not in its row`);
      assert.ok(row.includes(`\`${e.source}\` / \`${e.lastErrorMessage}\``), `${e.reason}: LastError Source / Message not in its row`);
    }
  });

  it('fails, naming the reason, when its line is removed from the catalogue', () => {
    for (const reason of ['QuotaExceeded', 'TokenClaimValueNotAllowed', 'SubscriptionKeyInvalid']) {
      const without = catalogue
        .split('\n')
        .filter((line) => !line.includes(`\`${reason}\``))
        .join('\n');
      const missing = undocumented(scan, without);
      assert.equal(missing.length, 1, `removing ${reason} should leave exactly it undocumented: ${missing.join('; ')}`);
      assert.match(missing[0]!, new RegExp(`^${reason} \\(src/`));
    }
  });

  it('traces reasons through helpers, variables, constructors and typed unions', () => {
    const fixture = scanReasons([
      {
        path: 'src/policies/sample.ts',
        text: `
          class Rejected extends Error { constructor(readonly reason: string, message: string) { super(message); } }
          interface Failure { reason: 'UnionA' | 'UnionB'; message: string }
          export function run(gw: unknown, n: number) {
            const fail = (reason: string, message: string): never => { throw new PolicyRuntimeError('p', reason, message); };
            if (n === 1) fail('FromHelper', 'm');
            const picked = n > 2 ? 'FromVariableA' : 'FromVariableB';
            if (n === 3) throw new PolicyRuntimeError('p', picked, 'm');
            try { throw new Rejected('FromConstructor', 'm'); }
            catch (err) { if (err instanceof Rejected) throw new PolicyRuntimeError('p', err.reason, err.message, 401); }
            throw new PolicyRuntimeError('p', 'Literal', 'm');
          }`,
      },
      { path: 'src/gateway/elsewhere.ts', text: `export const x = { reason: 'internal-routing' }; export function f(r: string) { return new PolicyRuntimeError('p', r.trim(), 'm'); }` },
    ]);
    assert.deepEqual(
      [...fixture.reasons.keys()].sort(),
      ['FromConstructor', 'FromHelper', 'FromVariableA', 'FromVariableB', 'Literal', 'UnionA', 'UnionB'],
    );
    assert.deepEqual(fixture.untraced, ['src/gateway/elsewhere.ts:1: r.trim()']);
  });
});
