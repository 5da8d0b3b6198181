/**
 * The `$filter` expressions list operations accept (reference §5.3), in the OData subset the
 * Azure SDK and portal send: `name eq 'x'`, `properties/displayName ne 'y'`,
 * `contains(properties/displayName,'x')`, `startswith(…)`, `endswith(…)`, comparisons
 * (`eq ne gt ge lt le`), `and`, `or`, `not` and parentheses. A field is `name` or a property
 * path with or without the `properties/` prefix. Strings compare case-insensitively, as APIM does.
 */
import { invalidField } from './arm-error.js';
import { ownValue } from './prototype-keys.js';

/** What a filter is evaluated against: a resource's name and its ARM properties. */
export interface FilterTarget {
  name: string;
  properties: Record<string, unknown>;
}

export type FilterPredicate = (target: FilterTarget) => boolean;

type Token = { kind: 'word' | 'string' | 'number' | 'punct'; text: string; at: number };

/** Parses a `$filter` value into a predicate; throws ArmError 400 on a syntax error. */
export function parseFilter(source: string): FilterPredicate {
  const parser = new FilterParser(tokenize(source), source);
  const predicate = parser.parseOr();
  parser.expectEnd();
  return predicate;
}

function fail(source: string, reason: string): never {
  throw invalidField('$filter', `Invalid filter clause '${source}': ${reason}`);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) fail(source, 'unterminated string literal.');
        if (source[j] === "'") {
          // OData escapes a quote by doubling it.
          if (source[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += source[j];
        j++;
      }
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(source.slice(i));
      if (!m) fail(source, `unexpected '${c}' at position ${i}.`);
      tokens.push({ kind: 'number', text: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$/.]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], at: i });
      i += m[0].length;
    } else {
      fail(source, `unexpected '${c}' at position ${i}.`);
    }
  }
  return tokens;
}

type Operand = (t: FilterTarget) => unknown;

const comparisons = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const functions = new Set(['contains', 'startswith', 'endswith', 'substringof']);

/** How deep parentheses may nest; deeper filters are refused rather than parsed recursively. */
const maxNesting = 100;

class FilterParser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) fail(this.source, 'unexpected end of expression.');
    return t;
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === text;
  }

  private expectPunct(text: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) fail(this.source, `expected '${text}' at position ${t.at}.`);
  }

  expectEnd(): void {
    const t = this.peek();
    if (t) fail(this.source, `unexpected '${t.text}' at position ${t.at}.`);
  }

  parseOr(): FilterPredicate {
    // Terms are kept in a list, not nested closures, so a long chain cannot exhaust the stack.
    const terms = [this.parseAnd()];
    while (this.isWord('or')) {
      this.i++;
      terms.push(this.parseAnd());
    }
    return terms.length === 1 ? terms[0]! : (t) => terms.some((term) => term(t));
  }

  private parseAnd(): FilterPredicate {
    const terms = [this.parseUnary()];
    while (this.isWord('and')) {
      this.i++;
      terms.push(this.parseUnary());
    }
    return terms.length === 1 ? terms[0]! : (t) => terms.every((term) => term(t));
  }

  private parseUnary(): FilterPredicate {
    let negations = 0;
    while (this.isWord('not')) {
      this.i++;
      negations++;
    }
    const inner = this.parsePrimary();
    return negations % 2 === 0 ? inner : (t) => !inner(t);
  }

  private parsePrimary(): FilterPredicate {
    const t = this.peek();
    if (t?.kind === 'punct' && t.text === '(') {
      if (++this.depth > maxNesting) fail(this.source, `parentheses nested deeper than ${maxNesting} levels at position ${t.at}.`);
      this.i++;
      const inner = this.parseOr();
      this.expectPunct(')');
      this.depth--;
      return inner;
    }
    if (t?.kind === 'word' && functions.has(t.text.toLowerCase()) && this.tokens[this.i + 1]?.text === '(') {
      return this.parseFunction();
    }
    const left = this.parseOperand();
    const op = this.next();
    if (op.kind !== 'word' || !comparisons.has(op.text.toLowerCase())) {
      fail(this.source, `expected a comparison operator at position ${op.at}.`);
    }
    const right = this.parseOperand();
    const name = op.text.toLowerCase();
    return (target) => compare(left(target), right(target), name);
  }

  private parseFunction(): FilterPredicate {
    const name = this.next().text.toLowerCase();
    this.expectPunct('(');
    let first = this.parseOperand();
    this.expectPunct(',');
    let second = this.parseOperand();
    this.expectPunct(')');
    // substringof('x', field) takes its arguments the other way round.
    if (name === 'substringof') [first, second] = [second, first];
    const test = (hay: string, needle: string): boolean =>
      name === 'startswith' ? hay.startsWith(needle) : name === 'endswith' ? hay.endsWith(needle) : hay.includes(needle);
    return (target) => {
      const hay = first(target);
      const needle = second(target);
      if (typeof hay !== 'string' || typeof needle !== 'string') return false;
      return test(hay.toLowerCase(), needle.toLowerCase());
    };
  }

  private parseOperand(): Operand {
    const t = this.next();
    if (t.kind === 'string') return () => t.text;
    if (t.kind === 'number') {
      const n = Number(t.text);
      return () => n;
    }
    if (t.kind === 'word') {
      const lower = t.text.toLowerCase();
      if (lower === 'true') return () => true;
      if (lower === 'false') return () => false;
      if (lower === 'null') return () => null;
      return fieldReader(t.text);
    }
    return fail(this.source, `unexpected '${t.text}' at position ${t.at}.`);
  }
}

function fieldReader(path: string): Operand {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 1 && parts[0] === 'name') return (t) => t.name;
  const inner = parts[0] === 'properties' ? parts.slice(1) : parts;
  return (t) => {
    let value: unknown = t.properties;
    for (const part of inner) {
      if (value === null || typeof value !== 'object') return undefined;
      // Own properties only: `properties/constructor` names nothing, not Object's constructor.
      value = ownValue(value, part);
    }
    return value;
  };
}

function compare(a: unknown, b: unknown, op: string): boolean {
  const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v === undefined ? null : v);
  const x = norm(a);
  const y = norm(b);
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    default: {
      if (x === null || y === null || typeof x !== typeof y) return false;
      const lx = x as string | number;
      const ly = y as string | number;
      if (op === 'gt') return lx > ly;
      if (op === 'ge') return lx >= ly;
      if (op === 'lt') return lx < ly;
      return lx <= ly;
    }
  }
}
