/**
 * System.Text.RegularExpressions over JavaScript's RegExp: .NET patterns are translated where
 * the syntax differs (\A, \z, \Z, leading inline options, ${name} in replacements).
 */
import { raise } from '../errors.js';
import { EnumValue, ListValue } from './values.js';
import { display } from './display.js';
import { fnArg, intArg, noOverload, strArg, type MemberTable } from './member-table.js';
import type { Runtime } from './budget.js';
import { analyzeRegex, boundedRegex, type RegexRisk } from './bounded-regex.js';

/** The runtime value of Regex. */
export class RegexValue {
  readonly typeName = 'System.Text.RegularExpressions.Regex';
  constructor(
    readonly pattern: string,
    readonly options: number,
    readonly re: RegExp,
  ) {
    this.risk = analyzeRegex(re.source, re.flags);
  }
  /** How matching may degrade; decides whether operations run under the time bound. */
  readonly risk: RegexRisk;
  toString(): string {
    return this.pattern;
  }
}

/** The runtime value of Group. */
export class GroupValue {
  readonly typeName: string = 'System.Text.RegularExpressions.Group';
  constructor(
    readonly success: boolean,
    readonly value: string,
    readonly index: number,
    readonly name: string,
  ) {}
  toString(): string {
    return this.value;
  }
}

/** The runtime value of Match. */
export class MatchValue extends GroupValue {
  override readonly typeName = 'System.Text.RegularExpressions.Match';
  constructor(
    readonly exec: RegExpExecArray | null,
    readonly regex: RegexValue,
    readonly input: string,
  ) {
    super(exec !== null, exec?.[0] ?? '', exec?.index ?? 0, '0');
  }
  group(key: unknown): GroupValue {
    const m = this.exec;
    if (typeof key === 'number') {
      const v = m?.[key];
      return new GroupValue(v !== undefined && m !== null && key < m.length, v ?? '', v !== undefined && m ? indexOfGroup(m, key) : 0, String(key));
    }
    const name = strArg(key, 'groupname');
    const v = m?.groups?.[name];
    if (/^\d+$/.test(name)) return this.group(Number(name));
    return new GroupValue(v !== undefined, v ?? '', v !== undefined && m ? (m.indices?.groups?.[name]?.[0] ?? m.index) : 0, name);
  }
}

function indexOfGroup(m: RegExpExecArray, i: number): number {
  return m.indices?.[i]?.[0] ?? m.index;
}

const optionBits: Record<string, number> = {
  None: 0, IgnoreCase: 1, Multiline: 2, ExplicitCapture: 4, Compiled: 8, Singleline: 16, IgnorePatternWhitespace: 32,
  RightToLeft: 64, ECMAScript: 256, CultureInvariant: 512,
};

/** A RegexOptions value by name. */
export function regexOptionsEnum(name: string): EnumValue {
  return new EnumValue('System.Text.RegularExpressions.RegexOptions', name, optionBits[name]!);
}
export const regexOptionNames = Object.keys(optionBits);

/** Compiles a .NET pattern; an invalid pattern is an ArgumentException as in .NET. */
export function compileRegex(pattern: string, options: number): RegexValue {
  let p = pattern;
  let flags = 'gd';
  const inline = /^\(\?([imsx]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    for (const c of inline[1]!) options |= c === 'i' ? 1 : c === 'm' ? 2 : c === 's' ? 16 : 32;
  }
  if (options & 1) flags += 'i';
  if (options & 2) flags += 'm';
  if (options & 16) flags += 's';
  if (options & 32) p = p.replace(/\\#/g, '\u0000').replace(/#.*$/gm, '').replace(/\s+/g, '').replace(/\u0000/g, '\\#');
  p = p.replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])').replace(/\\Z/g, '(?=\\n?$(?![\\s\\S]))');
  try {
    return new RegexValue(pattern, options, new RegExp(p, flags));
  } catch (err) {
    return raise('System.ArgumentException', `Invalid pattern '${pattern}'. ${(err as Error).message}`);
  }
}

function optionsArg(v: unknown): number {
  return v instanceof EnumValue ? v.value : 0;
}

function fresh(r: RegexValue): RegExp {
  return new RegExp(r.re.source, r.re.flags);
}

/** Runs regex work of `r` over `input`, bounded by the time budget when it may backtrack badly. */
function run<T>(rt: Runtime, r: RegexValue, input: string, work: () => T): T {
  return boundedRegex(rt, r.risk, input.length, work);
}

function isMatch(r: RegexValue, input: string, rt: Runtime): boolean {
  return run(rt, r, input, () => fresh(r).test(input));
}

function matchAt(r: RegexValue, input: string, start: number, rt: Runtime): MatchValue {
  return run(rt, r, input, () => {
    const re = fresh(r);
    re.lastIndex = start;
    return new MatchValue(re.exec(input), r, input);
  });
}

function matches(r: RegexValue, input: string, rt: Runtime): ListValue {
  return run(rt, r, input, () => {
    const re = fresh(r);
    const out: MatchValue[] = [];
    for (;;) {
      rt.step();
      const m = re.exec(input);
      if (!m) return new ListValue(out, 'Match');
      out.push(new MatchValue(m, r, input));
      rt.checkSize(out.length);
      if (m[0] === '') re.lastIndex++;
    }
  });
}

function split(r: RegexValue, input: string, rt: Runtime): string[] {
  const parts = run(rt, r, input, () => input.split(new RegExp(r.re.source, r.re.flags.replace('g', ''))));
  rt.checkSize(parts.length);
  return parts;
}

/** .NET replacement syntax → JS: `${name}` → `$<name>`, `${1}` → `$1`. */
function replacementText(s: string): string {
  return s.replace(/\$\{(\d+)\}/g, '$$$1').replace(/\$\{([A-Za-z_]\w*)\}/g, '$$<$1>');
}

function replace(r: RegexValue, input: string, replacement: unknown, rt: Runtime, count = -1): string {
  return run(rt, r, input, () => replaceAll(r, input, replacement, rt, count));
}

function replaceAll(r: RegexValue, input: string, replacement: unknown, rt: Runtime, count: number): string {
  let n = 0;
  const re = fresh(r);
  const result = input.replace(re, (...m: unknown[]) => {
    rt.step();
    if (count >= 0 && n >= count) return m[0] as string;
    n++;
    if (typeof replacement === 'string') {
      // Expand the replacement pattern against this match only.
      const single = new RegExp(r.re.source, r.re.flags.replace('g', ''));
      return (m[0] as string).replace(single, replacementText(replacement));
    }
    const groups = m.slice(0, -2);
    const hasNamed = typeof m[m.length - 1] === 'object';
    const offset = (hasNamed ? m[m.length - 3] : m[m.length - 2]) as number;
    const exec = Object.assign(groups.filter((g) => typeof g === 'string' || g === undefined) as string[], { index: offset, input }) as unknown as RegExpExecArray;
    return display(fnArg(replacement, rt)(new MatchValue(exec, r, input)));
  });
  return rt.str(result);
}

/** Patterns of the static Regex methods, compiled and analysed once (as .NET caches them). */
const staticPatterns = new Map<string, RegexValue>();
const staticPatternCacheSize = 256;
const longestCachedPattern = 1024;

function regexOf(args: unknown[], patternIndex: number, optionsIndex: number): RegexValue {
  const pattern = strArg(args[patternIndex], 'pattern');
  const options = optionsArg(args[optionsIndex]);
  if (pattern.length > longestCachedPattern) return compileRegex(pattern, options);
  const key = `${options}:${pattern}`;
  let r = staticPatterns.get(key);
  if (!r) {
    r = compileRegex(pattern, options);
    if (staticPatterns.size >= staticPatternCacheSize) staticPatterns.clear();
    staticPatterns.set(key, r);
  }
  return r;
}

/** Static members: regex. */
export const regexStatics: MemberTable = {
  methods: {
    IsMatch: (_: unknown, a, site) => isMatch(regexOf(a, 1, 2), strArg(a[0], 'input'), site.rt),
    Match: (_: unknown, a, site) => matchAt(regexOf(a, 1, 2), strArg(a[0], 'input'), 0, site.rt),
    Matches: (_: unknown, a, site) => matches(regexOf(a, 1, 2), strArg(a[0], 'input'), site.rt),
    Replace: (_: unknown, a, site) => replace(regexOf(a, 1, 3), strArg(a[0], 'input'), a[2], site.rt),
    Split: (_: unknown, a, site) => split(regexOf(a, 1, 2), strArg(a[0], 'input'), site.rt),
    Escape: (_: unknown, a) => strArg(a[0], 'str').replace(/[\\*+?|{}[\]()^$.#\s]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === ' ' ? '\\ ' : '\\' + c)),
    Unescape: (_: unknown, a) => strArg(a[0], 'str').replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[ntr]|.)/g, (_m, e: string) => {
      if (e === 'n') return '\n';
      if (e === 't') return '\t';
      if (e === 'r') return '\r';
      if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
      return e;
    }),
  },
};

/** Instance members: regex. */
export const regexMembers: MemberTable = {
  props: {
    Options: (r: RegexValue) => new EnumValue('System.Text.RegularExpressions.RegexOptions', String(r.options), r.options),
  },
  methods: {
    IsMatch: (r: RegexValue, a, site) => isMatch(r, strArg(a[0], 'input'), site.rt),
    Match: (r: RegexValue, a, site) => matchAt(r, strArg(a[0], 'input'), a.length > 1 ? intArg(a[1], 'startat') : 0, site.rt),
    Matches: (r: RegexValue, a, site) => matches(r, strArg(a[0], 'input'), site.rt),
    Replace: (r: RegexValue, a, site) => replace(r, strArg(a[0], 'input'), a[1], site.rt, a.length > 2 ? intArg(a[2], 'count') : -1),
    Split: (r: RegexValue, a, site) => split(r, strArg(a[0], 'input'), site.rt),
    ToString: (r: RegexValue) => r.pattern,
    GetGroupNames: (r: RegexValue) => {
      const names = ['0'];
      const count = new RegExp(r.re.source + '|').exec('')!.length - 1;
      for (let i = 1; i <= count; i++) names.push(String(i));
      return names;
    },
  },
};

/** Instance members: group. */
export const groupMembers: MemberTable = {
  props: {
    Success: (g: GroupValue) => g.success,
    Value: (g: GroupValue) => g.value,
    Index: (g: GroupValue) => g.index,
    Length: (g: GroupValue) => g.value.length,
    Name: (g: GroupValue) => g.name,
    Groups: (m: MatchValue) => (m instanceof MatchValue ? m : noOverload('Groups', [])),
  },
  methods: {
    NextMatch: (m: MatchValue, _a, site) => {
      if (!m.exec) return m;
      return matchAt(m.regex, m.input, m.index + Math.max(1, m.value.length), site.rt);
    },
    ToString: (g: GroupValue) => g.value,
    Result: (m: MatchValue, a, site) => {
      if (!m.exec) return '';
      const single = new RegExp(m.regex.re.source, m.regex.re.flags.replace('g', ''));
      return run(site.rt, m.regex, m.value, () => m.value.replace(single, replacementText(strArg(a[0], 'replacement'))));
    },
  },
};
