/**
 * The XPath 1.0 subset behind XPathSelectElement(s)/XPathEvaluate: its tokens and its parse
 * tree. A path that is not XPath fails with .NET's XPathException text; a path that is XPath but
 * outside the subset fails with an XPathSyntaxProblem marked `unsupported`, so the checker can
 * refuse a literal path at save time and the runtime can report it clearly.
 */

/** What a path is, once parsed. */
export type XPathNode =
  | { kind: 'path'; absolute: boolean; start?: XPathNode; steps: XPathStep[] }
  | { kind: 'literal'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: XPathNode[] }
  | { kind: 'binary'; op: string; left: XPathNode; right: XPathNode }
  | { kind: 'negate'; operand: XPathNode }
  | { kind: 'filter'; primary: XPathNode; predicates: XPathNode[] };

export type XPathAxis = 'child' | 'attribute' | 'self' | 'parent' | 'descendant' | 'descendant-or-self';

export interface XPathStep {
  axis: XPathAxis;
  /** `*`, a local name, `text()` or `node()`. */
  test: { kind: 'any' } | { kind: 'name'; name: string } | { kind: 'text' } | { kind: 'node' };
  predicates: XPathNode[];
}

/** A path that cannot be used: .NET's XPathException text, or a part Gatehouse does not support. */
export class XPathSyntaxProblem extends Error {
  constructor(
    message: string,
    readonly unsupported: boolean,
  ) {
    super(message);
  }
}

/** Functions of the subset and how many arguments each takes. */
export const xpathFunctions: Record<string, [min: number, max: number]> = {
  last: [0, 0], position: [0, 0], count: [1, 1], string: [0, 1], contains: [2, 2], 'starts-with': [2, 2],
  not: [1, 1], true: [0, 0], false: [0, 0], number: [0, 1], 'string-length': [0, 1], 'local-name': [0, 1], name: [0, 1],
  'normalize-space': [0, 1],
};

/** XPath 1.0 functions (and axes) that exist but are outside the subset. */
const otherXPathFunctions = new Set(['id', 'namespace-uri', 'concat', 'substring-before', 'substring-after', 'substring', 'translate',
  'boolean', 'lang', 'sum', 'floor', 'ceiling', 'round', 'comment', 'processing-instruction']);
const supportedAxes = new Set<string>(['child', 'attribute', 'self', 'parent', 'descendant', 'descendant-or-self']);
const otherAxes = new Set(['ancestor', 'ancestor-or-self', 'following', 'following-sibling', 'preceding', 'preceding-sibling', 'namespace']);

const maxNesting = 100;

const noContext = 'Namespace Manager or XsltContext needed. This query has a prefix, variable, or user-defined function.';

type Token = { t: 'name' | 'literal' | 'number' | 'op' | 'end'; v: string; at: number };

const nameStart = /[A-Za-z_\u00C0-\uFFFF]/;
const nameChar = /[A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]/;

function tokenize(path: string): Token[] {
  const tokens: Token[] = [];
  const invalid = (): never => {
    throw new XPathSyntaxProblem(`'${path}' has an invalid token.`, false);
  };
  let i = 0;
  while (i < path.length) {
    const c = path[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '"' || c === "'") {
      const end = path.indexOf(c, i + 1);
      if (end === -1) throw new XPathSyntaxProblem('This is an unclosed string.', false);
      tokens.push({ t: 'literal', v: path.slice(i + 1, end), at });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(path[i + 1] ?? ''))) {
      const m = /^[0-9]*(\.[0-9]*)?/.exec(path.slice(i))!;
      tokens.push({ t: 'number', v: m[0], at });
      i += m[0].length;
    } else if (nameStart.test(c)) {
      let j = i + 1;
      while (j < path.length && nameChar.test(path[j]!)) j++;
      // A prefixed name (`p:local`, `p:*`), kept whole; `::` is an axis separator.
      if (path[j] === ':' && path[j + 1] !== ':') {
        j++;
        if (path[j] === '*') j++;
        else {
          if (j >= path.length || !nameStart.test(path[j]!)) invalid();
          while (j < path.length && nameChar.test(path[j]!)) j++;
        }
      }
      tokens.push({ t: 'name', v: path.slice(i, j), at });
      i = j;
    } else {
      const two = path.slice(i, i + 2);
      if (['//', '..', '!=', '<=', '>=', '::'].includes(two)) {
        tokens.push({ t: 'op', v: two, at });
        i += 2;
      } else if ('/.@*[]()=<>|,+-$'.includes(c)) {
        tokens.push({ t: 'op', v: c, at });
        i++;
      } else invalid();
    }
  }
  tokens.push({ t: 'end', v: '', at: path.length });
  return tokens;
}

const nodeTypeTests = new Set(['text', 'node', 'comment', 'processing-instruction']);

class XPathParser {
  private pos = 0;
  constructor(
    private readonly path: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  private isOp(v: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.t === 'op' && t.v === v;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private invalidToken(): never {
    throw new XPathSyntaxProblem(`'${this.path}' has an invalid token.`, false);
  }
  private unsupported(what: string): never {
    throw new XPathSyntaxProblem(`The XPath '${this.path}' uses ${what}, which Gatehouse does not support.`, true);
  }
  private expect(v: string): void {
    if (!this.isOp(v)) this.invalidToken();
    this.pos++;
  }

  parse(): XPathNode {
    if (this.peek().t === 'end') throw new XPathSyntaxProblem('Expression must evaluate to a node-set.', false);
    const e = this.or();
    if (this.peek().t !== 'end') this.invalidToken();
    return e;
  }

  private binaryLevel(ops: string[], operand: () => XPathNode, words = false): XPathNode {
    let left = operand();
    for (;;) {
      const t = this.peek();
      const matches = words ? t.t === 'name' && ops.includes(t.v) : t.t === 'op' && ops.includes(t.v);
      if (!matches) return left;
      this.pos++;
      left = { kind: 'binary', op: t.v, left, right: operand() };
    }
  }

  /** Nested parentheses, predicates and arguments, bounded: the parser and evaluator recurse. */
  private depth = 0;

  private or(): XPathNode {
    if (++this.depth > maxNesting) throw new XPathSyntaxProblem(`The XPath '${this.path.slice(0, 40)}…' nests deeper than ${maxNesting} levels, which Gatehouse does not support.`, true);
    const e = this.binaryLevel(['or'], () => this.and(), true);
    this.depth--;
    return e;
  }
  private and(): XPathNode {
    return this.binaryLevel(['and'], () => this.equality(), true);
  }
  private equality(): XPathNode {
    return this.binaryLevel(['=', '!='], () => this.relational());
  }
  private relational(): XPathNode {
    return this.binaryLevel(['<', '>', '<=', '>='], () => this.additive());
  }
  private additive(): XPathNode {
    const e = this.binaryLevel(['+', '-'], () => this.unary());
    const t = this.peek();
    if ((t.t === 'op' && t.v === '*') || (t.t === 'name' && (t.v === 'div' || t.v === 'mod'))) this.unsupported(`the operator '${t.v}'`);
    return e;
  }
  private unary(): XPathNode {
    if (this.isOp('-')) {
      this.pos++;
      return { kind: 'negate', operand: this.unary() };
    }
    return this.binaryLevel(['|'], () => this.pathExpr());
  }

  private pathExpr(): XPathNode {
    const t = this.peek();
    const primary =
      t.t === 'literal' || t.t === 'number' || this.isOp('(') || this.isOp('$') ||
      (t.t === 'name' && this.isOp('(', 1) && !nodeTypeTests.has(t.v));
    if (!primary) return this.locationPath();
    const start = this.filterExpr();
    if (!this.isOp('/') && !this.isOp('//')) return start;
    const steps: XPathStep[] = [];
    this.relativeSteps(steps);
    return { kind: 'path', absolute: false, start, steps };
  }

  private filterExpr(): XPathNode {
    const t = this.next();
    let primary: XPathNode;
    if (t.t === 'literal') primary = { kind: 'literal', value: t.v };
    else if (t.t === 'number') primary = { kind: 'number', value: Number(t.v) };
    else if (t.t === 'op' && t.v === '$') throw new XPathSyntaxProblem(noContext, false);
    else if (t.t === 'op' && t.v === '(') {
      primary = this.or();
      this.expect(')');
    } else primary = this.call(t.v);
    const predicates = this.predicates();
    return predicates.length ? { kind: 'filter', primary, predicates } : primary;
  }

  private call(name: string): XPathNode {
    this.expect('(');
    const args: XPathNode[] = [];
    if (!this.isOp(')')) {
      args.push(this.or());
      while (this.isOp(',')) {
        this.pos++;
        args.push(this.or());
      }
    }
    this.expect(')');
    if (name.includes(':')) throw new XPathSyntaxProblem(noContext, false);
    const arity = xpathFunctions[name];
    if (!arity) {
      if (otherXPathFunctions.has(name)) this.unsupported(`the function '${name}()'`);
      throw new XPathSyntaxProblem(noContext, false);
    }
    if (args.length < arity[0] || args.length > arity[1]) {
      throw new XPathSyntaxProblem(`Function '${name}' in '${this.path}' has an invalid number of arguments.`, false);
    }
    return { kind: 'call', name, args };
  }

  private predicates(): XPathNode[] {
    const out: XPathNode[] = [];
    while (this.isOp('[')) {
      this.pos++;
      out.push(this.or());
      this.expect(']');
    }
    return out;
  }

  private locationPath(): XPathNode {
    const steps: XPathStep[] = [];
    if (this.isOp('/') || this.isOp('//')) {
      const lone = this.isOp('/') && !this.startsStep(1);
      if (lone) {
        this.pos++;
        return { kind: 'path', absolute: true, steps };
      }
      this.relativeSteps(steps);
      return { kind: 'path', absolute: true, steps };
    }
    steps.push(this.step());
    this.relativeSteps(steps);
    return { kind: 'path', absolute: false, steps };
  }

  private startsStep(offset: number): boolean {
    const t = this.peek(offset);
    return t.t === 'name' || (t.t === 'op' && ['.', '..', '@', '*'].includes(t.v));
  }

  /** `/step`, `//step` … as long as they go on. */
  private relativeSteps(steps: XPathStep[]): void {
    for (;;) {
      if (this.isOp('//')) {
        this.pos++;
        steps.push({ axis: 'descendant-or-self', test: { kind: 'node' }, predicates: [] });
      } else if (this.isOp('/')) this.pos++;
      else return;
      steps.push(this.step());
    }
  }

  private step(): XPathStep {
    if (this.isOp('.')) {
      this.pos++;
      return { axis: 'self', test: { kind: 'node' }, predicates: [] };
    }
    if (this.isOp('..')) {
      this.pos++;
      return { axis: 'parent', test: { kind: 'node' }, predicates: [] };
    }
    let axis: XPathAxis = 'child';
    if (this.isOp('@')) {
      this.pos++;
      axis = 'attribute';
    } else if (this.peek().t === 'name' && this.isOp('::', 1)) {
      const name = this.next().v;
      this.pos++;
      if (otherAxes.has(name)) this.unsupported(`the axis '${name}'`);
      if (!supportedAxes.has(name)) this.invalidToken();
      axis = name as XPathAxis;
    }
    const test = this.nodeTest();
    return { axis, test, predicates: this.predicates() };
  }

  private nodeTest(): XPathStep['test'] {
    const t = this.next();
    if (t.t === 'op' && t.v === '*') return { kind: 'any' };
    if (t.t !== 'name') return this.invalidToken();
    if (nodeTypeTests.has(t.v) && this.isOp('(')) {
      this.pos++;
      this.expect(')');
      if (t.v === 'text') return { kind: 'text' };
      if (t.v === 'node') return { kind: 'node' };
      return this.unsupported(`the node test '${t.v}()'`);
    }
    if (t.v.includes(':')) throw new XPathSyntaxProblem(noContext, false);
    return { kind: 'name', name: t.v };
  }
}

/** Parses a path of the subset; throws XPathSyntaxProblem. */
export function parseXPath(path: string): XPathNode {
  return new XPathParser(path, tokenize(path)).parse();
}
