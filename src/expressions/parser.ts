/**
 * Recursive-descent parser for policy expressions (`@(…)`) and statement blocks (`@{…}`), with
 * C# operator precedence. Ambiguities are settled the way the C# compiler does: casts by the
 * token after `)`, generic arguments by the token after `>`, lambdas by `=>` after the list.
 */
import type { Argument, Block, Expr, Initializer, InterpolationPart, Program, Stmt, TypeRef } from './ast.js';
import { ExpressionCompileError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { SourceMap } from './source-position.js';

export const predefinedTypes = new Set([
  'bool', 'byte', 'sbyte', 'short', 'ushort', 'int', 'uint', 'long', 'ulong', 'char', 'float', 'double', 'decimal',
  'string', 'object', 'dynamic',
]);

const keywords = new Set([
  'abstract', 'as', 'base', 'bool', 'break', 'byte', 'case', 'catch', 'char', 'checked', 'class', 'const', 'continue',
  'decimal', 'default', 'delegate', 'do', 'double', 'else', 'enum', 'event', 'explicit', 'extern', 'false', 'finally',
  'fixed', 'float', 'for', 'foreach', 'goto', 'if', 'implicit', 'in', 'int', 'interface', 'internal', 'is', 'lock',
  'long', 'namespace', 'new', 'null', 'object', 'operator', 'out', 'override', 'params', 'private', 'protected',
  'public', 'readonly', 'ref', 'return', 'sbyte', 'sealed', 'short', 'sizeof', 'stackalloc', 'static', 'string',
  'struct', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'uint', 'ulong', 'unchecked', 'unsafe', 'ushort',
  'using', 'virtual', 'void', 'volatile', 'while',
]);

const assignmentOps = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '??=']);

/** Tokens after which `<…>` is a type argument list (C# spec §7.6.4.2). */
const afterTypeArgs = new Set(['(', ')', ']', '}', ':', ';', ',', '.', '?', '==', '!=', '|', '^', '&&', '||', '&', '[', '?.', '?[']);

class Backtrack extends Error {}


/** Parses the whole `@(…)` / `@{…}` text. */
export function parseProgram(source: string): { program: Program; map: SourceMap } {
  const map = new SourceMap(source);
  const fail = (offset: number, reason: string): never => {
    const p = map.position(offset);
    throw new ExpressionCompileError(reason, p.line, p.column);
  };
  let start = 0;
  while (start < source.length && /\s/.test(source[start]!)) start++;
  let end = source.length;
  while (end > start && /\s/.test(source[end - 1]!)) end--;
  const open = source.slice(start, start + 2);
  if (open === '@(') {
    if (source[end - 1] !== ')') fail(end - 1, "')' expected");
    const tokens = tokenize(source, map, start + 2, end - 1);
    const parser = new Parser(tokens, map);
    if (parser.peek().kind === 'eof') fail(start + 2, 'Invalid expression term \')\'');
    const expr = parser.expression();
    parser.expectEof("')' expected");
    return { program: { kind: 'expression', expr }, map };
  }
  if (open === '@{') {
    if (source[end - 1] !== '}') fail(end - 1, "'}' expected");
    const tokens = tokenize(source, map, start + 2, end - 1);
    const parser = new Parser(tokens, map);
    const body: Stmt[] = [];
    while (parser.peek().kind !== 'eof') body.push(parser.statement());
    return { program: { kind: 'block', block: { kind: 'block', body, offset: start + 1 } }, map };
  }
  return fail(start, 'A policy expression must start with @( or @{');
}

class Parser {
  private p = 0;
  private speculating = 0;

  constructor(
    private readonly toks: Token[],
    private readonly map: SourceMap,
  ) {}

  peek(k = 0): Token {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.p++;
    return t;
  }

  fail(offset: number, reason: string): never {
    if (this.speculating > 0) throw new Backtrack();
    const pos = this.map.position(offset);
    throw new ExpressionCompileError(reason, pos.line, pos.column);
  }

  private describe(t: Token): string {
    switch (t.kind) {
      case 'eof': return 'end of expression';
      case 'ident': return `'${t.text}'`;
      case 'punct': return `'${t.text}'`;
      case 'number': return `'${t.text}'`;
      default: return 'literal';
    }
  }

  private isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === text;
  }

  private isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && !t.verbatim && t.text === word;
  }

  private eatPunct(text: string): boolean {
    if (this.isPunct(text)) {
      this.p++;
      return true;
    }
    return false;
  }

  private expectPunct(text: string): Token {
    if (!this.isPunct(text)) {
      const t = this.peek();
      this.fail(t.offset, `'${text}' expected, found ${this.describe(t)}`);
    }
    return this.next();
  }

  expectEof(reason: string): void {
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(t.offset, `${reason}, found ${this.describe(t)}`);
  }

  /** An identifier that is not a reserved keyword. */
  private isIdent(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && (t.verbatim || !keywords.has(t.text));
  }

  private identifier(): string {
    const t = this.peek();
    if (!this.isIdent()) this.fail(t.offset, `Identifier expected, found ${this.describe(t)}`);
    this.p++;
    return (t as { text: string }).text;
  }

  private attempt<T>(fn: () => T): T | undefined {
    const save = this.p;
    this.speculating++;
    try {
      return fn();
    } catch (err) {
      if (err instanceof Backtrack || err instanceof ExpressionCompileError) {
        this.p = save;
        return undefined;
      }
      throw err;
    } finally {
      this.speculating--;
    }
  }

  // ---- types ----

  /** A type: predefined or dotted name, type arguments, `?`, array ranks. */
  type(allowNullable = true): TypeRef {
    const t = this.peek();
    let name: string;
    if (this.isPunct('(')) return this.tupleType(allowNullable);
    if (t.kind === 'ident' && !t.verbatim && predefinedTypes.has(t.text)) {
      name = t.text;
      this.p++;
    } else if (this.isIdent()) {
      name = this.identifier();
      while (this.isPunct('.') && this.isIdent(1) && !this.isPunct('<', 0)) {
        // A dotted name continues only while the next segment is not followed by `(` (a call).
        this.p++;
        name += '.' + this.identifier();
      }
    } else return this.fail(t.offset, `Type expected, found ${this.describe(t)}`);
    let args: TypeRef[] = [];
    if (this.isPunct('<')) {
      this.p++;
      args = [this.type()];
      while (this.eatPunct(',')) args.push(this.type());
      this.expectPunct('>');
      // `Outer<T>.Inner` is not in the allowed surface; stop here.
    }
    return this.typeSuffixes({ name, args, arrayRank: 0, nullable: false, offset: t.offset }, allowNullable);
  }

  /** The `?` and array ranks after a type. */
  private typeSuffixes(type: TypeRef, allowNullable: boolean): TypeRef {
    if (allowNullable && this.isPunct('?') && !this.isPunct('?.')) {
      // `int? x` in declarations and casts; a ternary `?` is followed by an expression, so
      // callers that may see one pass allowNullable=false.
      type.nullable = true;
      this.p++;
    }
    while (this.isPunct('[') && (this.isPunct(']', 1) || this.isPunct(',', 1))) {
      this.p++;
      while (this.eatPunct(','));
      this.expectPunct(']');
      type.arrayRank++;
    }
    return type;
  }

  /** `(int, string)` / `(int code, string text)`: a tuple type of two or more elements. */
  private tupleType(allowNullable: boolean): TypeRef {
    const offset = this.expectPunct('(').offset;
    const args: TypeRef[] = [];
    const tupleNames: Array<string | undefined> = [];
    do {
      args.push(this.type());
      tupleNames.push(this.isIdent() ? this.identifier() : undefined);
    } while (this.eatPunct(','));
    this.expectPunct(')');
    if (args.length < 2) this.fail(offset, 'Tuple must contain at least two elements.');
    return this.typeSuffixes({ name: 'ValueTuple', args, arrayRank: 0, nullable: false, offset, tupleNames }, allowNullable);
  }

  private typeArgsIfGeneric(): TypeRef[] | undefined {
    if (!this.isPunct('<')) return undefined;
    return this.attempt(() => {
      this.p++;
      const args = [this.type()];
      while (this.eatPunct(',')) args.push(this.type());
      this.expectPunct('>');
      const after = this.peek();
      if (after.kind === 'eof' || (after.kind === 'punct' && afterTypeArgs.has(after.text))) return args;
      throw new Backtrack();
    });
  }

  // ---- expressions ----

  expression(): Expr {
    return this.assignment();
  }

  private lambdaAhead(): boolean {
    if (this.isIdent() && this.isPunct('=>', 1)) return true;
    if (!this.isPunct('(')) return false;
    let depth = 0;
    for (let k = 0; ; k++) {
      const t = this.peek(k);
      if (t.kind === 'eof') return false;
      if (t.kind === 'punct' && t.text === '(') depth++;
      else if (t.kind === 'punct' && t.text === ')') {
        depth--;
        if (depth === 0) return this.isPunct('=>', k + 1);
      }
    }
  }

  private lambda(): Expr {
    const offset = this.peek().offset;
    const params: Array<{ name: string; type?: TypeRef }> = [];
    if (this.isIdent()) params.push({ name: this.identifier() });
    else {
      this.expectPunct('(');
      if (!this.isPunct(')')) {
        do {
          if (this.isIdent() && (this.isPunct(',', 1) || this.isPunct(')', 1))) params.push({ name: this.identifier() });
          else {
            const type = this.type();
            params.push({ name: this.identifier(), type });
          }
        } while (this.eatPunct(','));
      }
      this.expectPunct(')');
    }
    this.expectPunct('=>');
    const body = this.isPunct('{') ? this.block() : this.expression();
    return { kind: 'lambda', params, body, offset };
  }

  private assignment(): Expr {
    if (this.lambdaAhead()) return this.lambda();
    const left = this.conditional();
    const t = this.peek();
    let op: string | undefined;
    if (t.kind === 'punct' && assignmentOps.has(t.text)) op = t.text;
    else if (t.kind === 'punct' && t.text === '>' && this.adjacent(0, 1) && this.isPunct('>=', 1)) op = '>>=';
    if (op === undefined) return left;
    this.p += op === '>>=' && t.kind === 'punct' && t.text === '>' ? 2 : 1;
    if (left.kind === 'tuple' && op === '=') {
      // `(a, b) = (b, a)`: a deconstructing assignment; every element must be assignable.
      for (const item of left.items) {
        const v = item.value;
        if (item.name !== undefined || (v.kind !== 'name' && v.kind !== 'member' && v.kind !== 'index')) {
          this.fail(v.offset, 'Only variables, properties and indexers can be assigned by deconstruction in policy expressions');
        }
      }
    } else if (left.kind !== 'name' && left.kind !== 'member' && left.kind !== 'index') {
      this.fail(left.offset, 'The left-hand side of an assignment must be a variable, property or indexer');
    }
    const value = this.assignment();
    return { kind: 'assign', op, target: left, value, offset: left.offset };
  }

  private adjacent(a: number, b: number): boolean {
    return this.peek(a).end === this.peek(b).offset;
  }

  private conditional(): Expr {
    const test = this.nullCoalescing();
    if (!this.isPunct('?')) return test;
    this.p++;
    const then = this.assignment();
    this.expectPunct(':');
    const otherwise = this.assignment();
    return { kind: 'conditional', test, then, else: otherwise, offset: test.offset };
  }

  private nullCoalescing(): Expr {
    const left = this.binary(1);
    if (!this.isPunct('??')) return left;
    this.p++;
    const right = this.isWord('throw') ? this.throwExpr() : this.nullCoalescing();
    return { kind: 'binary', op: '??', left, right, offset: left.offset };
  }

  private throwExpr(): Expr {
    const offset = this.next().offset;
    return { kind: 'throw', value: this.nullCoalescing(), offset };
  }

  /** The binary operator at the cursor and its precedence, or undefined. */
  private binaryOp(): { op: string; prec: number; width: number } | undefined {
    const t = this.peek();
    if (t.kind === 'ident' && !t.verbatim && (t.text === 'is' || t.text === 'as')) return { op: t.text, prec: 7, width: 1 };
    if (t.kind !== 'punct') return undefined;
    switch (t.text) {
      case '||': return { op: '||', prec: 1, width: 1 };
      case '&&': return { op: '&&', prec: 2, width: 1 };
      case '|': return { op: '|', prec: 3, width: 1 };
      case '^': return { op: '^', prec: 4, width: 1 };
      case '&': return { op: '&', prec: 5, width: 1 };
      case '==': case '!=': return { op: t.text, prec: 6, width: 1 };
      case '<': case '<=': case '>=': return { op: t.text, prec: 7, width: 1 };
      case '>':
        if (this.isPunct('>', 1) && this.adjacent(0, 1)) return { op: '>>', prec: 8, width: 2 };
        if (this.isPunct('>=', 1) && this.adjacent(0, 1)) return undefined; // `>>=`
        return { op: '>', prec: 7, width: 1 };
      case '<<': return { op: '<<', prec: 8, width: 1 };
      case '+': case '-': return { op: t.text, prec: 9, width: 1 };
      case '*': case '/': case '%': return { op: t.text, prec: 10, width: 1 };
      default: return undefined;
    }
  }

  private binary(minPrec: number): Expr {
    let left = this.unary();
    for (;;) {
      const info = this.binaryOp();
      if (!info || info.prec < minPrec) return left;
      this.p += info.width;
      if (info.op === 'is') left = this.isExpr(left);
      else if (info.op === 'as') left = { kind: 'as', operand: left, type: this.type(false), offset: left.offset };
      else {
        const right = this.binary(info.prec + 1);
        left = { kind: 'binary', op: info.op, left, right, offset: left.offset };
      }
    }
  }

  private isExpr(operand: Expr): Expr {
    const t = this.peek();
    const isLiteralStart = t.kind !== 'ident' || (!t.verbatim && (t.text === 'null' || t.text === 'true' || t.text === 'false'));
    if (!isLiteralStart) {
      const type = this.attempt(() => this.type(false));
      if (type) {
        let declare: string | undefined;
        if (this.isIdent() && !this.isWord('is') && !this.isWord('as')) declare = this.identifier();
        return { kind: 'is', operand, type, declare, offset: operand.offset };
      }
    }
    const value = this.binary(8);
    return { kind: 'isConst', operand, value, offset: operand.offset };
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct') {
      switch (t.text) {
        case '+': case '-': case '!': case '~': {
          this.p++;
          const operand = this.unary();
          // Fold `-2147483648` and `-9223372036854775808` so they stay int/long.
          if (t.text === '-' && operand.kind === 'literal' && (operand.literalType === 'uint' || operand.literalType === 'ulong')) {
            const v = operand.value as bigint;
            if (v === 2147483648n) return { kind: 'literal', value: -2147483648, literalType: 'int', offset: t.offset };
            if (v === 9223372036854775808n) return { kind: 'literal', value: -9223372036854775808n, literalType: 'long', offset: t.offset };
          }
          return { kind: 'unary', op: t.text, operand, offset: t.offset };
        }
        case '++': case '--':
          this.p++;
          return { kind: 'unary', op: t.text, operand: this.unary(), offset: t.offset };
        case '(': {
          const cast = this.attempt(() => this.castPrefix());
          if (cast) return { kind: 'cast', type: cast, operand: this.unary(), offset: t.offset };
          break;
        }
      }
    }
    if (this.isWord('throw')) return this.throwExpr();
    return this.postfix(this.primary());
  }

  /** `(Type)` when what follows makes it a cast (C# spec §7.7.6). */
  private castPrefix(): TypeRef {
    this.expectPunct('(');
    const type = this.type();
    this.expectPunct(')');
    const predefined = type.args.length === 0 && predefinedTypes.has(type.name);
    if (predefined || type.arrayRank > 0 || type.nullable) {
      if (this.startsOperand(true)) return type;
      throw new Backtrack();
    }
    if (this.startsOperand(false)) return type;
    throw new Backtrack();
  }

  private startsOperand(afterPredefined: boolean): boolean {
    const t = this.peek();
    switch (t.kind) {
      case 'ident':
        return t.verbatim || !(t.text === 'is' || t.text === 'as');
      case 'number': case 'string': case 'char': case 'interpolated':
        return true;
      case 'punct':
        if (t.text === '(' || t.text === '!' || t.text === '~') return true;
        return afterPredefined && (t.text === '-' || t.text === '+' || t.text === '++' || t.text === '--');
      default:
        return false;
    }
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.p++;
        return { kind: 'literal', value: t.value, literalType: t.numberKind, offset: t.offset };
      case 'string':
        this.p++;
        return { kind: 'literal', value: t.value, literalType: 'string', offset: t.offset };
      case 'char':
        this.p++;
        return { kind: 'literal', value: t.value, literalType: 'char', offset: t.offset };
      case 'interpolated':
        this.p++;
        return this.interpolated(t);
      case 'punct':
        if (t.text === '(') return this.parenthesizedOrTuple();
        return this.fail(t.offset, `Invalid expression term ${this.describe(t)}`);
      case 'eof':
        return this.fail(t.offset, 'Expression expected, found end of expression');
      case 'ident':
        break;
    }
    const word = t as Extract<Token, { kind: 'ident' }>;
    if (!word.verbatim) {
      switch (word.text) {
        case 'true': case 'false':
          this.p++;
          return { kind: 'literal', value: word.text === 'true', literalType: 'bool', offset: t.offset };
        case 'null':
          this.p++;
          return { kind: 'literal', value: null, literalType: 'null', offset: t.offset };
        case 'new':
          return this.creation();
        case 'typeof': {
          this.p++;
          this.expectPunct('(');
          const type = this.type();
          this.expectPunct(')');
          return { kind: 'typeof', type, offset: t.offset };
        }
        case 'default': {
          this.p++;
          if (!this.eatPunct('(')) return { kind: 'default', offset: t.offset };
          const type = this.type();
          this.expectPunct(')');
          return { kind: 'default', type, offset: t.offset };
        }
        case 'checked': case 'unchecked': {
          this.p++;
          this.expectPunct('(');
          const operand = this.expression();
          this.expectPunct(')');
          return { kind: 'checked', checked: word.text === 'checked', operand, offset: t.offset };
        }
        case 'nameof': {
          if (!this.isPunct('(', 1)) break;
          this.p += 2;
          let last = this.identifier();
          while (this.eatPunct('.')) last = this.identifier();
          this.expectPunct(')');
          return { kind: 'nameof', name: last, offset: t.offset };
        }
        case 'this': case 'base':
          return this.fail(t.offset, `Keyword '${word.text}' is not available in policy expressions`);
      }
      if (predefinedTypes.has(word.text)) {
        this.p++;
        return { kind: 'name', name: word.text, offset: t.offset };
      }
      if (keywords.has(word.text)) return this.fail(t.offset, `Invalid expression term '${word.text}'`);
    }
    this.p++;
    const typeArgs = this.typeArgsIfGeneric();
    return typeArgs ? { kind: 'name', name: word.text, typeArgs, offset: t.offset } : { kind: 'name', name: word.text, offset: t.offset };
  }

  /** `(e)`, or a tuple literal `(1, "a")` / `(code: 200, text: "OK")` when a comma follows. */
  private parenthesizedOrTuple(): Expr {
    const offset = this.expectPunct('(').offset;
    const element = (): { name?: string; value: Expr } => {
      if (this.isIdent() && this.isPunct(':', 1)) {
        const name = this.identifier();
        this.p++;
        return { name, value: this.expression() };
      }
      return { value: this.expression() };
    };
    const first = element();
    if (!this.isPunct(',')) {
      if (first.name !== undefined) this.fail(offset, 'Tuple must contain at least two elements.');
      this.expectPunct(')');
      return first.value;
    }
    const items = [first];
    while (this.eatPunct(',')) items.push(element());
    this.expectPunct(')');
    return { kind: 'tuple', items, offset };
  }

  private postfix(expr: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct') return expr;
      switch (t.text) {
        case '.': case '?.': {
          this.p++;
          const nameTok = this.peek();
          if (nameTok.kind !== 'ident') this.fail(nameTok.offset, `Identifier expected, found ${this.describe(nameTok)}`);
          this.p++;
          const typeArgs = this.typeArgsIfGeneric();
          expr = { kind: 'member', target: expr, name: nameTok.text, conditional: t.text === '?.', offset: nameTok.offset };
          if (typeArgs) expr.typeArgs = typeArgs;
          break;
        }
        case '(':
          this.p++;
          expr = { kind: 'call', callee: expr, args: this.argumentsUntil(')'), offset: expr.offset };
          break;
        case '[': case '?[': {
          this.p++;
          const args = this.argumentsUntil(']').map((a) => a.value);
          if (args.length === 0) this.fail(t.offset, 'Value expected');
          expr = { kind: 'index', target: expr, args, conditional: t.text === '?[', offset: expr.offset };
          break;
        }
        case '++': case '--':
          this.p++;
          expr = { kind: 'postfix', op: t.text, operand: expr, offset: expr.offset };
          break;
        default:
          return expr;
      }
    }
  }

  private argumentsUntil(close: string): Argument[] {
    const args: Argument[] = [];
    if (this.eatPunct(close)) return args;
    do {
      const arg: Argument = { value: undefined as unknown as Expr };
      if (this.isIdent() && this.isPunct(':', 1)) {
        arg.name = this.identifier();
        this.p++;
      }
      if (this.isWord('out') || this.isWord('ref') || this.isWord('in')) {
        arg.modifier = this.next().kind === 'ident' ? ((this.peek(-1) as { text: string }).text as 'out' | 'ref' | 'in') : 'out';
        if (arg.modifier === 'out') {
          const declOffset = this.peek().offset;
          if (this.isWord('var') && this.isIdent(1)) {
            this.p++;
            const name = this.identifier();
            arg.declare = { type: 'var', name };
            arg.value = { kind: 'name', name, offset: declOffset };
            args.push(arg);
            continue;
          }
          const typed = this.attempt(() => {
            const type = this.type();
            const name = this.identifier();
            if (!this.isPunct(',') && !this.isPunct(close)) throw new Backtrack();
            return { type, name };
          });
          if (typed) {
            arg.declare = typed;
            arg.value = { kind: 'name', name: typed.name, offset: declOffset };
            args.push(arg);
            continue;
          }
        }
      }
      arg.value = this.expression();
      args.push(arg);
    } while (this.eatPunct(','));
    this.expectPunct(close);
    return args;
  }

  private interpolated(t: Extract<Token, { kind: 'interpolated' }>): Expr {
    const parts: InterpolationPart[] = [];
    for (const part of t.parts) {
      if (typeof part === 'string') {
        parts.push(part);
        continue;
      }
      const sub = new Parser(part.tokens, this.map);
      sub.speculating = this.speculating;
      const expr = sub.expression();
      sub.expectEof("'}' expected");
      const hole: { expr: Expr; alignment?: Expr; format?: string } = { expr };
      if (part.alignment) {
        const a = new Parser(part.alignment, this.map);
        a.speculating = this.speculating;
        hole.alignment = a.expression();
        a.expectEof("'}' expected");
      }
      if (part.format !== undefined) hole.format = part.format;
      parts.push(hole);
    }
    return { kind: 'interpolated', parts, offset: t.offset };
  }

  private creation(): Expr {
    const offset = this.next().offset; // new
    if (this.isPunct('{')) {
      this.p++;
      const members: Array<{ name: string; value: Expr }> = [];
      while (!this.isPunct('}')) {
        if (this.isIdent() && this.isPunct('=', 1)) {
          const name = this.identifier();
          this.p++;
          members.push({ name, value: this.expression() });
        } else {
          const value = this.expression();
          const name = value.kind === 'name' ? value.name : value.kind === 'member' ? value.name : undefined;
          if (name === undefined) this.fail(value.offset, 'Invalid anonymous type member declarator');
          members.push({ name, value });
        }
        if (!this.eatPunct(',')) break;
      }
      this.expectPunct('}');
      return { kind: 'newAnonymous', members, offset };
    }
    if (this.isPunct('[')) {
      this.p++;
      let rank = 1;
      while (this.eatPunct(',')) rank++;
      this.expectPunct(']');
      const items = this.arrayItems();
      return { kind: 'newArray', rank, items, offset };
    }
    const type = this.type(false);
    if (type.arrayRank > 0) {
      const items = this.arrayItems();
      const elementType = { ...type, arrayRank: type.arrayRank - 1 };
      return { kind: 'newArray', elementType, rank: 1, items, offset };
    }
    if (this.isPunct('[')) {
      this.p++;
      const size = this.expression();
      this.expectPunct(']');
      const node: Expr = { kind: 'newArray', elementType: type, rank: 1, size, offset };
      if (this.isPunct('{')) node.items = this.arrayItems();
      return node;
    }
    let args: Argument[] = [];
    let hadParens = false;
    if (this.isPunct('(')) {
      this.p++;
      hadParens = true;
      args = this.argumentsUntil(')');
    }
    let init: Initializer | undefined;
    if (this.isPunct('{')) init = this.initializer();
    if (!hadParens && !init) this.fail(this.peek().offset, "'(' or '{' expected");
    const node: Expr = { kind: 'new', type, args, offset };
    if (init) node.init = init;
    return node;
  }

  private arrayItems(): Expr[] {
    this.expectPunct('{');
    const items: Expr[] = [];
    while (!this.isPunct('}')) {
      items.push(this.isPunct('{') ? { kind: 'newArray', rank: 1, items: this.arrayItems(), offset: this.peek(-1).offset } : this.expression());
      if (!this.eatPunct(',')) break;
    }
    this.expectPunct('}');
    return items;
  }

  private initializer(): Initializer {
    this.expectPunct('{');
    const collection: Expr[][] = [];
    const members: Array<{ name?: string; index?: Expr[]; value: Expr }> = [];
    while (!this.isPunct('}')) {
      if (this.isPunct('{')) {
        this.p++;
        const group: Expr[] = [];
        while (!this.isPunct('}')) {
          group.push(this.expression());
          if (!this.eatPunct(',')) break;
        }
        this.expectPunct('}');
        collection.push(group);
      } else if (this.isPunct('[')) {
        this.p++;
        const index = this.argumentsUntil(']').map((a) => a.value);
        this.expectPunct('=');
        members.push({ index, value: this.expression() });
      } else if (this.isIdent() && this.isPunct('=', 1)) {
        const name = this.identifier();
        this.p++;
        members.push({ name, value: this.expression() });
      } else collection.push([this.expression()]);
      if (!this.eatPunct(',')) break;
    }
    this.expectPunct('}');
    if (members.length > 0 && collection.length > 0) this.fail(this.peek(-1).offset, 'Invalid initializer member declarator');
    return members.length > 0 ? { kind: 'object', members } : { kind: 'collection', items: collection };
  }

  // ---- statements ----

  block(): Block {
    const offset = this.expectPunct('{').offset;
    const body: Stmt[] = [];
    while (!this.isPunct('}')) {
      if (this.peek().kind === 'eof') this.fail(this.peek().offset, "'}' expected");
      body.push(this.statement());
    }
    this.p++;
    return { kind: 'block', body, offset };
  }

  /**
   * `[static] Type Name(Type a, …) { … }` or `… => expr;`: a local function, when the cursor starts
   * one. It becomes a local holding a lambda with typed parameters and the declared return type.
   */
  private localFunction(): Stmt | undefined {
    const offset = this.peek().offset;
    // The header decides: once `Type Name(…)` is followed by `{` or `=>`, errors are the function's.
    const header = this.attempt(() => {
      if (this.isWord('static')) this.p++;
      let returnType: TypeRef | 'void';
      if (this.isWord('void')) {
        this.p++;
        returnType = 'void';
      } else returnType = this.type();
      if (!this.isIdent() || !this.isPunct('(', 1)) throw new Backtrack();
      const nameAt = this.peek().offset;
      const name = this.identifier();
      this.expectPunct('(');
      const params: Array<{ name: string; type: TypeRef; modifierAt?: number }> = [];
      if (!this.isPunct(')')) {
        do {
          const modifierAt = ['ref', 'out', 'in', 'params'].some((m) => this.isWord(m)) ? this.next().offset : undefined;
          const type = this.type();
          params.push({ type, name: this.identifier(), ...(modifierAt === undefined ? {} : { modifierAt }) });
        } while (this.eatPunct(','));
      }
      this.expectPunct(')');
      if (!this.isPunct('{') && !this.isPunct('=>')) throw new Backtrack();
      return { returnType, name, nameAt, params };
    });
    if (!header) return undefined;
    const modified = header.params.find((p) => p.modifierAt !== undefined);
    if (modified) this.fail(modified.modifierAt!, 'ref, out, in and params parameters of local functions are not supported in policy expressions');
    let body: Expr | Block;
    if (this.eatPunct('=>')) {
      body = this.expression();
      this.expectPunct(';');
    } else body = this.block();
    const params = header.params.map((p) => ({ name: p.name, type: p.type }));
    const lambda: Expr = { kind: 'lambda', params, body, offset: header.nameAt, returnType: header.returnType };
    return { kind: 'local', type: 'var', vars: [{ name: header.name, init: lambda, offset: header.nameAt }], offset, localFunction: true };
  }


  /** `var (a, b) = …;` or `(var a, int b) = …;` when the cursor starts one. */
  private deconstruction(): Stmt | undefined {
    const offset = this.peek().offset;
    if (this.isWord('var') && this.isPunct('(', 1)) {
      this.p += 2;
      const targets: Array<{ name: string; type: 'var'; offset: number }> = [];
      do {
        if (this.isPunct('(')) this.fail(this.peek().offset, 'Nested deconstruction is not supported in policy expressions');
        const at = this.peek().offset;
        targets.push({ name: this.identifier(), type: 'var', offset: at });
      } while (this.eatPunct(','));
      this.expectPunct(')');
      if (targets.length < 2) this.fail(offset, 'Deconstruction must contain at least two variables');
      this.expectPunct('=');
      const value = this.expression();
      this.expectPunct(';');
      return { kind: 'deconstruct', targets, value, offset };
    }
    if (!this.isPunct('(')) return undefined;
    const targets = this.attempt(() => {
      this.p++;
      const list: Array<{ name: string; type: TypeRef | 'var'; offset: number }> = [];
      do {
        let type: TypeRef | 'var';
        if (this.isWord('var') && this.isIdent(1)) {
          this.p++;
          type = 'var';
        } else type = this.type();
        const at = this.peek().offset;
        list.push({ name: this.identifier(), type, offset: at });
      } while (this.eatPunct(','));
      this.expectPunct(')');
      if (!this.isPunct('=')) throw new Backtrack();
      this.p++;
      return list;
    });
    if (!targets) return undefined;
    if (targets.length < 2) this.fail(offset, 'Deconstruction must contain at least two variables');
    const value = this.expression();
    this.expectPunct(';');
    return { kind: 'deconstruct', targets, value, offset };
  }

  private embedded(): Stmt {
    const s = this.statement();
    if (s.kind === 'local' || s.kind === 'deconstruct') this.fail(s.offset, 'Embedded statement cannot be a declaration or labeled statement');
    return s;
  }

  statement(): Stmt {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '{') return this.block();
    if (t.kind === 'punct' && t.text === ';') {
      this.p++;
      return { kind: 'empty', offset: t.offset };
    }
    if (t.kind === 'ident' && !t.verbatim) {
      switch (t.text) {
        case 'if': {
          this.p++;
          this.expectPunct('(');
          const test = this.expression();
          this.expectPunct(')');
          const then = this.embedded();
          const node: Stmt = { kind: 'if', test, then, offset: t.offset };
          if (this.isWord('else')) {
            this.p++;
            node.else = this.embedded();
          }
          return node;
        }
        case 'return': {
          this.p++;
          if (this.eatPunct(';')) return { kind: 'return', offset: t.offset };
          const value = this.expression();
          this.expectPunct(';');
          return { kind: 'return', value, offset: t.offset };
        }
        case 'foreach': {
          this.p++;
          this.expectPunct('(');
          if (this.isPunct('(') || (this.isWord('var') && this.isPunct('(', 1))) {
            this.fail(this.peek().offset, 'Deconstruction in foreach is not supported in policy expressions; deconstruct in the loop body (var (a, b) = item;)');
          }
          let type: TypeRef | 'var';
          if (this.isWord('var') && this.isIdent(1)) {
            this.p++;
            type = 'var';
          } else type = this.type();
          const name = this.identifier();
          if (!this.isWord('in')) this.fail(this.peek().offset, "'in' expected");
          this.p++;
          const collection = this.expression();
          this.expectPunct(')');
          return { kind: 'foreach', type, name, collection, body: this.embedded(), offset: t.offset };
        }
        case 'for': {
          this.p++;
          this.expectPunct('(');
          const init: Stmt[] = [];
          if (!this.isPunct(';')) {
            const decl = this.localDeclaration();
            if (decl) init.push(decl);
            else {
              do {
                const e = this.expression();
                init.push({ kind: 'expr', expr: e, offset: e.offset });
              } while (this.eatPunct(','));
            }
          }
          this.expectPunct(';');
          const test = this.isPunct(';') ? undefined : this.expression();
          this.expectPunct(';');
          const update: Expr[] = [];
          if (!this.isPunct(')')) {
            do update.push(this.expression());
            while (this.eatPunct(','));
          }
          this.expectPunct(')');
          const node: Stmt = { kind: 'for', init, update, body: this.embedded(), offset: t.offset };
          if (test) node.test = test;
          return node;
        }
        case 'while': {
          this.p++;
          this.expectPunct('(');
          const test = this.expression();
          this.expectPunct(')');
          return { kind: 'while', test, body: this.embedded(), offset: t.offset };
        }
        case 'do': {
          this.p++;
          const body = this.embedded();
          if (!this.isWord('while')) this.fail(this.peek().offset, "'while' expected");
          this.p++;
          this.expectPunct('(');
          const test = this.expression();
          this.expectPunct(')');
          this.expectPunct(';');
          return { kind: 'do', body, test, offset: t.offset };
        }
        case 'break': case 'continue':
          this.p++;
          this.expectPunct(';');
          return { kind: t.text, offset: t.offset };
        case 'throw': {
          this.p++;
          if (this.eatPunct(';')) return { kind: 'throw', offset: t.offset };
          const value = this.expression();
          this.expectPunct(';');
          return { kind: 'throw', value, offset: t.offset };
        }
        case 'switch':
          return this.switchStatement();
        case 'checked': case 'unchecked':
          if (this.isPunct('{', 1)) {
            this.p++;
            return { kind: 'checkedBlock', checked: t.text === 'checked', body: this.block(), offset: t.offset };
          }
          break;
        case 'try':
          return this.tryStatement();
        case 'using':
          return this.usingStatement();
        case 'lock': case 'goto': case 'unsafe': case 'fixed': case 'yield':
          return this.fail(t.offset, `The '${t.text}' statement is not supported in policy expressions`);
        case 'const': {
          this.p++;
          const decl = this.localDeclaration();
          if (!decl) return this.fail(this.peek().offset, 'Type expected');
          this.expectPunct(';');
          return decl;
        }
      }
    }
    const deconstruction = this.deconstruction();
    if (deconstruction) return deconstruction;
    const fn = this.localFunction();
    if (fn) return fn;
    const decl = this.localDeclaration();
    if (decl) {
      this.expectPunct(';');
      return decl;
    }
    const expr = this.expression();
    const ok = expr.kind === 'assign' || expr.kind === 'call' || expr.kind === 'postfix' || expr.kind === 'new' ||
      (expr.kind === 'unary' && (expr.op === '++' || expr.op === '--')) || expr.kind === 'throw';
    if (!ok) this.fail(expr.offset, 'Only assignment, call, increment, decrement, and new object expressions can be used as a statement');
    this.expectPunct(';');
    return { kind: 'expr', expr, offset: expr.offset };
  }

  /**
   * `using (var x = …) body`, `using (expr) body` and the declaration `using var x = …;`.
   * Disposing is a no-op for every type expressions can create, so the statement is the block
   * `{ var x = …; body }` (an expression resource gets a hidden local, evaluated once, as in C#).
   */
  private usingStatement(): Stmt {
    const start = this.peek().offset;
    this.p++;
    // Using variables must be initialized and are read-only (the checker enforces the latter).
    const requireInitializers = (decl: Stmt): void => {
      if (decl.kind !== 'local') return;
      for (const v of decl.vars) if (!v.init) this.fail(v.offset, 'You must provide an initializer in a fixed or using statement declaration');
      decl.using = true;
    };
    if (this.eatPunct('(')) {
      let head = this.localDeclaration();
      if (head) requireInitializers(head);
      else {
        const resource = this.expression();
        head = { kind: 'local', type: 'var', vars: [{ name: `using#${start}`, init: resource, offset: resource.offset }], offset: resource.offset, using: true };
      }
      this.expectPunct(')');
      return { kind: 'block', body: [head, this.embedded()], offset: start };
    }
    const decl = this.localDeclaration();
    if (!decl) return this.fail(this.peek().offset, "'(' expected");
    requireInitializers(decl);
    this.expectPunct(';');
    return decl;
  }

  /** `var x = …` / `Type a = …, b` when the cursor starts one; leaves `;` unread. */
  private localDeclaration(): Stmt | undefined {
    const offset = this.peek().offset;
    let type: TypeRef | 'var' | undefined;
    if (this.isWord('var') && this.isIdent(1)) {
      this.p++;
      type = 'var';
    } else {
      type = this.attempt(() => {
        const ty = this.type();
        if (!this.isIdent()) throw new Backtrack();
        // `)` ends `using (Type x)`, which then fails for its missing initializer as in C#.
        if (!(this.isPunct('=', 1) || this.isPunct(';', 1) || this.isPunct(',', 1) || this.isWord('in', 1) || this.isPunct(')', 1))) throw new Backtrack();
        return ty;
      });
      if (!type) return undefined;
    }
    const vars: Array<{ name: string; init?: Expr; offset: number }> = [];
    do {
      const at = this.peek().offset;
      const name = this.identifier();
      const v: { name: string; init?: Expr; offset: number } = { name, offset: at };
      if (this.eatPunct('=')) {
        if (this.isPunct('{') && type !== 'var' && type.arrayRank > 0) {
          v.init = { kind: 'newArray', elementType: { ...type, arrayRank: type.arrayRank - 1 }, rank: 1, items: this.arrayItems(), offset: at };
        } else v.init = this.expression();
      } else if (type === 'var') this.fail(at, 'Implicitly-typed variables must be initialized');
      vars.push(v);
    } while (this.eatPunct(','));
    return { kind: 'local', type, vars, offset };
  }

  private tryStatement(): Stmt {
    const offset = this.next().offset;
    const body = this.block();
    const catches: Array<{ type?: TypeRef; name?: string; body: Block; offset: number }> = [];
    while (this.isWord('catch')) {
      const at = this.next().offset;
      const clause: { type?: TypeRef; name?: string; body: Block; offset: number } = { body: undefined as unknown as Block, offset: at };
      if (this.eatPunct('(')) {
        clause.type = this.type(false);
        if (this.isIdent()) clause.name = this.identifier();
        this.expectPunct(')');
      }
      if (this.isWord('when')) this.fail(this.peek().offset, "Exception filters ('when') are not supported in policy expressions");
      clause.body = this.block();
      catches.push(clause);
    }
    let fin: Block | undefined;
    if (this.isWord('finally')) {
      this.p++;
      fin = this.block();
    }
    if (catches.length === 0 && !fin) this.fail(this.peek().offset, "Expected catch or finally");
    const node: Stmt = { kind: 'try', body, catches, offset };
    if (fin) node.finally = fin;
    return node;
  }

  private switchStatement(): Stmt {
    const offset = this.next().offset;
    this.expectPunct('(');
    const value = this.expression();
    this.expectPunct(')');
    this.expectPunct('{');
    const sections: Array<{ labels: Array<Expr | 'default'>; body: Stmt[] }> = [];
    while (!this.isPunct('}')) {
      const labels: Array<Expr | 'default'> = [];
      while (this.isWord('case') || (this.isWord('default') && this.isPunct(':', 1))) {
        if (this.isWord('default')) {
          this.p += 2;
          labels.push('default');
        } else {
          this.p++;
          labels.push(this.expression());
          this.expectPunct(':');
        }
      }
      if (labels.length === 0) this.fail(this.peek().offset, "'case' or 'default' expected");
      const body: Stmt[] = [];
      while (!this.isWord('case') && !(this.isWord('default') && this.isPunct(':', 1)) && !this.isPunct('}')) {
        if (this.peek().kind === 'eof') this.fail(this.peek().offset, "'}' expected");
        body.push(this.statement());
      }
      sections.push({ labels, body });
    }
    this.p++;
    return { kind: 'switch', value, sections, offset };
  }
}
