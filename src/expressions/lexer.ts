/**
 * Turns expression text into tokens (C# 7 lexical grammar, the subset policies use): identifiers
 * and keywords, numbers with suffixes, regular/verbatim/interpolated strings, chars, operators.
 * Interpolated strings carry their holes as nested token lists so positions stay exact.
 */
import { ExpressionCompileError } from './errors.js';
import { parseDecimalText } from './runtime/decimal.js';
import type { SourceMap } from './source-position.js';

export type NumberKind = 'int' | 'uint' | 'long' | 'ulong' | 'float' | 'double' | 'decimal';

export interface InterpolationHole {
  tokens: Token[];
  /** Alignment (`{x,10}`), when given. */
  alignment?: Token[];
  /** Format string (`{x:N2}`), when given. */
  format?: string;
  offset: number;
}

export type Token =
  | { kind: 'ident'; text: string; verbatim: boolean; offset: number; end: number }
  | { kind: 'number'; text: string; numberKind: NumberKind; value: bigint | number | string; offset: number; end: number }
  | { kind: 'string'; value: string; offset: number; end: number }
  | { kind: 'char'; value: number; offset: number; end: number }
  | { kind: 'interpolated'; parts: Array<string | InterpolationHole>; offset: number; end: number }
  | { kind: 'punct'; text: string; offset: number; end: number }
  | { kind: 'eof'; text: ''; offset: number; end: number };

const puncts = [
  '??=', '<<=', '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '?[', '++', '--', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '<<', '::',
  '{', '}', '(', ')', '[', ']', ';', ',', '.', ':', '?', '+', '-', '*', '/', '%', '&', '|', '^', '!', '~', '=', '<', '>',
];

/** Tokenizes `text[start, end)`; throws ExpressionCompileError with positions from `map`. */
export function tokenize(text: string, map: SourceMap, start = 0, end = text.length): Token[] {
  return new Lexer(text, map, start, end).run();
}

class Lexer {
  private i: number;
  constructor(
    private readonly s: string,
    private readonly map: SourceMap,
    start: number,
    private readonly end: number,
  ) {
    this.i = start;
  }

  fail(offset: number, reason: string): never {
    const p = this.map.position(offset);
    throw new ExpressionCompileError(reason, p.line, p.column);
  }

  run(): Token[] {
    const out: Token[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.i >= this.end) {
        out.push({ kind: 'eof', text: '', offset: this.end, end: this.end });
        return out;
      }
      out.push(this.next());
    }
  }

  private skipTrivia(): void {
    const s = this.s;
    while (this.i < this.end) {
      const c = s[this.i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') this.i++;
      else if (c === '/' && s[this.i + 1] === '/') {
        while (this.i < this.end && s[this.i] !== '\n' && s[this.i] !== '\r') this.i++;
      } else if (c === '/' && s[this.i + 1] === '*') {
        const close = s.indexOf('*/', this.i + 2);
        if (close === -1 || close + 2 > this.end) this.fail(this.i, 'End-of-file found, \'*/\' expected');
        this.i = close + 2;
      } else return;
    }
  }

  private next(): Token {
    const s = this.s;
    const start = this.i;
    const c = s[start]!;
    if (c === '$' || (c === '@' && (s[start + 1] === '"' || s[start + 1] === '$'))) return this.stringLike();
    if (c === '"') return this.regularString();
    if (c === "'") return this.charLiteral();
    if (isDigit(c) || (c === '.' && isDigit(s[start + 1] ?? ''))) return this.number();
    if (c === '@' || isIdentStart(c)) {
      let verbatim = false;
      if (c === '@') {
        verbatim = true;
        this.i++;
        if (!isIdentStart(s[this.i] ?? '')) this.fail(start, "Keyword, identifier, or string expected after verbatim specifier: @");
      }
      const identStart = this.i;
      while (this.i < this.end && isIdentPart(s[this.i]!)) this.i++;
      return { kind: 'ident', text: s.slice(identStart, this.i), verbatim, offset: start, end: this.i };
    }
    for (const p of puncts) {
      if (s.startsWith(p, start) && start + p.length <= this.end) {
        // `a?.5:b` is a conditional with a real literal, not `?.`.
        if (p === '?.' && isDigit(s[start + 2] ?? '')) continue;
        this.i += p.length;
        return { kind: 'punct', text: p, offset: start, end: this.i };
      }
    }
    return this.fail(start, `Unexpected character '${c}'`);
  }

  private number(): Token {
    const s = this.s;
    const start = this.i;
    let isReal = false;
    let digits = '';
    if (s[start] === '0' && (s[start + 1] === 'x' || s[start + 1] === 'X' || s[start + 1] === 'b' || s[start + 1] === 'B')) {
      const hex = s[start + 1] === 'x' || s[start + 1] === 'X';
      this.i += 2;
      while (this.i < this.end && (hex ? /[0-9a-fA-F_]/ : /[01_]/).test(s[this.i]!)) this.i++;
      digits = s.slice(start, this.i).replace(/_/g, '');
      if (digits.length === 2) this.fail(start, 'Invalid number');
    } else {
      while (this.i < this.end && /[0-9_]/.test(s[this.i]!)) this.i++;
      if (s[this.i] === '.' && isDigit(s[this.i + 1] ?? '')) {
        isReal = true;
        this.i++;
        while (this.i < this.end && /[0-9_]/.test(s[this.i]!)) this.i++;
      }
      if (s[this.i] === 'e' || s[this.i] === 'E') {
        const save = this.i;
        this.i++;
        if (s[this.i] === '+' || s[this.i] === '-') this.i++;
        if (!isDigit(s[this.i] ?? '')) this.i = save;
        else {
          isReal = true;
          while (this.i < this.end && isDigit(s[this.i]!)) this.i++;
        }
      }
      digits = s.slice(start, this.i).replace(/_/g, '');
    }
    let suffix = '';
    while (this.i < this.end && /[uUlLfFdDmM]/.test(s[this.i]!) && suffix.length < 2) suffix += s[this.i++];
    if (this.i < this.end && isIdentPart(s[this.i]!)) this.fail(this.i, 'Invalid number suffix');
    const text = s.slice(start, this.i);
    const sfx = suffix.toLowerCase();
    const tok = (numberKind: NumberKind, value: bigint | number | string): Token => ({ kind: 'number', text, numberKind, value, offset: start, end: this.i });
    if (sfx === 'f') return tok('float', Math.fround(Number(digits)));
    if (sfx === 'd') return tok('double', Number(digits));
    // Decimal literals keep their digits: the scale is part of the value (2.50m prints 2.50).
    if (sfx === 'm') {
      if (!fitsDecimal(digits)) this.fail(start, "Floating-point constant is outside the range of type 'decimal'");
      return tok('decimal', digits);
    }
    if (isReal) {
      if (sfx !== '') this.fail(start, 'Invalid real literal suffix');
      return tok('double', Number(digits));
    }
    const big = BigInt(digits);
    const fits = (kind: NumberKind): boolean => {
      switch (kind) {
        case 'int': return big <= 0x7fffffffn;
        case 'uint': return big <= 0xffffffffn;
        case 'long': return big <= 0x7fffffffffffffffn;
        default: return big <= 0xffffffffffffffffn;
      }
    };
    let order: NumberKind[];
    if (sfx === '') order = ['int', 'uint', 'long', 'ulong'];
    else if (sfx === 'u') order = ['uint', 'ulong'];
    else if (sfx === 'l') order = ['long', 'ulong'];
    else if (sfx === 'ul' || sfx === 'lu') order = ['ulong'];
    else return this.fail(start, 'Invalid number suffix');
    for (const kind of order) if (fits(kind)) return tok(kind, kind === 'int' ? Number(big) : big);
    return this.fail(start, 'Integral constant is too large');
  }

  private escape(): number {
    const s = this.s;
    const at = this.i;
    this.i++; // backslash
    const c = s[this.i++];
    switch (c) {
      case "'": return 39;
      case '"': return 34;
      case '\\': return 92;
      case '0': return 0;
      case 'a': return 7;
      case 'b': return 8;
      case 'f': return 12;
      case 'n': return 10;
      case 'r': return 13;
      case 't': return 9;
      case 'v': return 11;
      case 'u': case 'U': case 'x': {
        const max = c === 'u' ? 4 : c === 'U' ? 8 : 4;
        let hex = '';
        while (hex.length < max && /[0-9a-fA-F]/.test(s[this.i] ?? '')) hex += s[this.i++];
        if (hex.length === 0 || (c !== 'x' && hex.length !== max)) this.fail(at, 'Unrecognized escape sequence');
        return parseInt(hex, 16);
      }
      default:
        return this.fail(at, 'Unrecognized escape sequence');
    }
  }

  private regularString(): Token {
    const start = this.i;
    this.i++;
    let value = '';
    for (;;) {
      if (this.i >= this.end || this.s[this.i] === '\n' || this.s[this.i] === '\r') this.fail(start, 'Newline in constant');
      const c = this.s[this.i]!;
      if (c === '"') break;
      if (c === '\\') value += codeToString(this.escape());
      else {
        value += c;
        this.i++;
      }
    }
    this.i++;
    return { kind: 'string', value, offset: start, end: this.i };
  }

  private charLiteral(): Token {
    const start = this.i;
    this.i++;
    let code: number;
    const c = this.s[this.i];
    if (c === undefined || this.i >= this.end || c === "'" || c === '\n') this.fail(start, 'Empty character literal');
    if (c === '\\') code = this.escape();
    else {
      code = c.charCodeAt(0);
      this.i++;
    }
    if (this.s[this.i] !== "'") this.fail(start, 'Too many characters in character literal');
    this.i++;
    return { kind: 'char', value: code, offset: start, end: this.i };
  }

  /** `@"…"`, `$"…"`, `$@"…"`, `@$"…"`. */
  private stringLike(): Token {
    const s = this.s;
    const start = this.i;
    let verbatim = false;
    let interpolated = false;
    while (s[this.i] === '@' || s[this.i] === '$') {
      if (s[this.i] === '@') verbatim = true;
      else interpolated = true;
      this.i++;
    }
    if (s[this.i] !== '"') this.fail(start, 'Unexpected character \'$\'');
    this.i++;
    const parts: Array<string | InterpolationHole> = [];
    let text = '';
    for (;;) {
      if (this.i >= this.end) this.fail(start, verbatim ? 'Unterminated string literal' : 'Newline in constant');
      const c = s[this.i]!;
      if (!verbatim && (c === '\n' || c === '\r')) this.fail(start, 'Newline in constant');
      if (c === '"') {
        if (verbatim && s[this.i + 1] === '"') {
          text += '"';
          this.i += 2;
          continue;
        }
        this.i++;
        break;
      }
      if (!verbatim && c === '\\') {
        text += codeToString(this.escape());
        continue;
      }
      if (interpolated && c === '{') {
        if (s[this.i + 1] === '{') {
          text += '{';
          this.i += 2;
          continue;
        }
        if (text) parts.push(text);
        text = '';
        parts.push(this.hole());
        continue;
      }
      if (interpolated && c === '}') {
        if (s[this.i + 1] === '}') {
          text += '}';
          this.i += 2;
          continue;
        }
        this.fail(this.i, "A '}' character must be escaped (by doubling) in an interpolated string.");
      }
      text += c;
      this.i++;
    }
    if (!interpolated) return { kind: 'string', value: text, offset: start, end: this.i };
    if (text) parts.push(text);
    return { kind: 'interpolated', parts, offset: start, end: this.i };
  }

  /** One `{expr[,alignment][:format]}` hole; `this.i` is at `{`. */
  private hole(): InterpolationHole {
    const s = this.s;
    const open = this.i;
    this.i++;
    const exprStart = this.i;
    let depth = 0;
    let commaAt = -1;
    let colonAt = -1;
    while (this.i < this.end) {
      const c = s[this.i]!;
      if (c === '"' || c === "'" || ((c === '$' || c === '@') && (s[this.i + 1] === '"' || s[this.i + 1] === '$' || s[this.i + 1] === '@'))) {
        // Skip nested literals by lexing them.
        if (c === '"') this.regularString();
        else if (c === "'") this.charLiteral();
        else this.stringLike();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']') depth--;
      else if (c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && c === ',' && commaAt === -1 && colonAt === -1) commaAt = this.i;
      else if (depth === 0 && c === ':' && colonAt === -1) {
        colonAt = this.i;
        // The format runs to the closing brace verbatim.
        while (this.i < this.end && s[this.i] !== '}') this.i++;
        break;
      } else if (c === '\n' && !s.slice(open, this.i).includes('@"')) {
        // allowed in C# 11 only; keep scanning for better diagnostics
      }
      this.i++;
    }
    if (s[this.i] !== '}') this.fail(open, "Unterminated interpolation hole: '}' expected");
    const exprEnd = commaAt !== -1 ? commaAt : colonAt !== -1 ? colonAt : this.i;
    const tokens = tokenize(s, this.map, exprStart, exprEnd);
    if (tokens.length === 1) this.fail(open, 'Empty interpolation hole: expression expected');
    const hole: InterpolationHole = { tokens, offset: exprStart };
    if (commaAt !== -1) hole.alignment = tokenize(s, this.map, commaAt + 1, colonAt !== -1 ? colonAt : this.i);
    if (colonAt !== -1) hole.format = s.slice(colonAt + 1, this.i);
    this.i++;
    return hole;
  }
}

function codeToString(code: number): string {
  return code > 0xffff ? String.fromCodePoint(code) : String.fromCharCode(code);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isIdentStart(c: string): boolean {
  return /[A-Za-z_\u00c0-\uffff]/.test(c);
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_\u00c0-\uffff]/.test(c);
}

/** Whether a decimal literal's digits are within System.Decimal's range (C# error CS0594). */
function fitsDecimal(digits: string): boolean {
  try {
    return parseDecimalText(digits) !== undefined;
  } catch {
    return false;
  }
}
