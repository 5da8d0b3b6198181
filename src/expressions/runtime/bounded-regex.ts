/**
 * Bounds regular-expression work by the evaluation's wall-clock budget. A single RegExp match
 * runs inside V8 and never returns to the interpreter, so the step budget cannot stop a
 * catastrophic backtrack; `node:vm` with `timeout` can (V8 TerminateExecution, verified on
 * Node 20 against /^(a+)+$/ on 'aaa…b'). Entering vm costs a watchdog thread (~0.1 ms), so a
 * run goes there unless a sound upper bound on the backtracking work (below) is small.
 */
import vm from 'node:vm';
import { raise } from '../errors.js';
import type { Runtime } from './budget.js';

/** How far a pattern may run without the time bound. */
export interface RegexRisk {
  /**
   * The longest input for which the worst-case backtracking work of the pattern stays under
   * `directWorkLimit`; -1 when every run is bounded (back-references, unreadable or very long
   * patterns).
   */
  directInputLength: number;
}

/**
 * Work (pattern-atom visits) a direct, unbounded run may cost in the worst case: a few
 * milliseconds, well under a tenth of any sensible budget, against ~0.1 ms for a bounded run.
 */
const directWorkLimit = 4_000_000;

/** Patterns longer than this are not analysed: they always run bounded. */
const longestAnalysedPattern = 4096;

/** The longest input the direct path is considered for (the string limit's default). */
const longestDirectInput = 4 * 1024 * 1024;

/** A pattern read as a tree of the parts that decide how much a backtracking matcher may try. */
type Node =
  | { kind: 'atom' }
  | { kind: 'backref' }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; branches: Node[] }
  | { kind: 'repeat'; body: Node; min: number; max: number };

const atom: Node = { kind: 'atom' };

class UnreadablePattern extends Error {}

/** Reads a (JavaScript-syntax, non-unicode) pattern that RegExp already accepted. */
class PatternReader {
  private i = 0;
  constructor(private readonly s: string) {}

  read(): Node {
    const node = this.alternation();
    if (this.i !== this.s.length) throw new UnreadablePattern();
    return node;
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.s[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : { kind: 'alt', branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      let item = this.atom();
      for (;;) {
        const q = this.quantifier();
        if (!q) break;
        item = { kind: 'repeat', body: item, min: q.min, max: q.max };
      }
      items.push(item);
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items };
  }

  private atom(): Node {
    const s = this.s;
    const c = s[this.i]!;
    if (c === '(') {
      // Group kinds (`?:`, `?=`, `?!`, `?<=`, `?<!`, `?<name>`) only change what is captured or
      // consumed; a lookaround is counted like a group, which over-estimates (JS lookarounds
      // are atomic) and so stays an upper bound.
      const kind = /^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/.exec(s.slice(this.i, this.i + 260))!;
      this.i += kind[0].length;
      const body = this.alternation();
      if (s[this.i] !== ')') throw new UnreadablePattern();
      this.i++;
      return body;
    }
    if (c === '[') {
      this.i++;
      if (s[this.i] === '^') this.i++;
      while (this.i < s.length && s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
      if (this.i >= s.length) throw new UnreadablePattern();
      this.i++;
      return atom;
    }
    if (c === '\\') {
      const next = s[this.i + 1] ?? '';
      // Any back-reference makes the work depend on captured text: always bounded.
      if (/[1-9]/.test(next) || (next === 'k' && s[this.i + 2] === '<')) {
        this.i += 2;
        return { kind: 'backref' };
      }
      const escape = /^\\(?:u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|[\s\S])/.exec(s.slice(this.i, this.i + 6));
      if (!escape) throw new UnreadablePattern();
      this.i += escape[0].length;
      return atom;
    }
    this.i++;
    return atom;
  }

  private quantifier(): { min: number; max: number } | null {
    const s = this.s;
    const c = s[this.i];
    let q: { min: number; max: number } | null = null;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    if (q) this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i, this.i + 40));
      if (!m) return null;
      q = { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]) };
      this.i += m[0].length;
    } else return null;
    if (s[this.i] === '?') this.i++;
    return q;
  }
}

/**
 * An upper bound on the ways a backtracking matcher can walk `node` from one position of an
 * input of length n: each choice of a quantifier's count and of an alternation's branch.
 */
function paths(node: Node, n: number): number {
  switch (node.kind) {
    case 'atom':
      return 1;
    case 'backref':
      return Infinity;
    case 'seq':
      return node.items.reduce((p, item) => p * paths(item, n), 1);
    case 'alt':
      return node.branches.reduce((p, branch) => p + paths(branch, n), 0);
    case 'repeat': {
      const p = paths(node.body, n);
      const most = iterations(node, n);
      const counts = most - node.min + 1;
      // Σ p^k for k = min … most, bounded by counts · p^most.
      return p === 1 ? counts : counts * Math.pow(p, most);
    }
  }
}

/** The most iterations a repetition can make: past `min`, each one must consume a character. */
function iterations(node: { min: number; max: number }, n: number): number {
  return Math.min(node.max, node.min + n);
}

/** An upper bound on the atoms one walk visits. */
function walkLength(node: Node, n: number): number {
  switch (node.kind) {
    case 'atom':
      return 1;
    case 'backref':
      return n + 1;
    case 'seq':
      return node.items.reduce((l, item) => l + walkLength(item, n), 0);
    case 'alt':
      return node.branches.reduce((l, branch) => Math.max(l, walkLength(branch, n)), 0);
    case 'repeat':
      return iterations(node, n) * walkLength(node.body, n);
  }
}

/**
 * Worst-case work of one operation on an input of length n: every start position (twice, for
 * Matches/Replace/Split restarting after each match) times every walk times its length. A
 * pattern anchored at the input's start (`^` without Multiline) walks from one position only;
 * the other starts fail at the anchor.
 */
function worstWork(node: Node, n: number, anchored: boolean): number {
  const walks = paths(node, n) * (walkLength(node, n) + 1);
  return anchored ? 2 * (n + 1) + 2 * walks : 2 * (n + 1) * walks;
}

/**
 * A sound static reading of a pattern: the longest input a direct run may take (see RegexRisk).
 * Exponential shapes (`(a+)+`, `(a|a)*`, `(\d|[0-9a-f]){30}`) get a short or no direct range,
 * polynomial ones (`a*a*a*b`, `\d+`) a range that shrinks with their degree.
 */
export function analyzeRegex(source: string, flags = ''): RegexRisk {
  if (source.length > longestAnalysedPattern) return { directInputLength: -1 };
  let tree: Node;
  try {
    tree = new PatternReader(source).read();
  } catch (err) {
    if (err instanceof UnreadablePattern || err instanceof RangeError) return { directInputLength: -1 };
    throw err;
  }
  const anchored = source.startsWith('^') && tree.kind !== 'alt' && !flags.includes('m');
  const work = (n: number): number => worstWork(tree, n, anchored);
  if (!(work(0) <= directWorkLimit)) return { directInputLength: -1 };
  // worstWork grows with n: find the largest n under the limit.
  let low = 0;
  let high = longestDirectInput;
  if (work(high) <= directWorkLimit) return { directInputLength: high };
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (work(mid) <= directWorkLimit) low = mid;
    else high = mid;
  }
  return { directInputLength: low };
}

/** Whether matching a pattern of this risk against `inputLength` characters must run bounded. */
export function needsBound(risk: RegexRisk, inputLength: number): boolean {
  return inputLength > risk.directInputLength;
}

const sandbox = vm.createContext(Object.create(null) as object);
const runner = new vm.Script('run()');

/** The message of .NET's RegexMatchTimeoutException. */
const timeoutMessage =
  'The Regex engine has timed out while trying to match a pattern to an input string. This can occur for many reasons, including very large inputs or excessive backtracking caused by nested quantifiers, back-references and other factors.';

/**
 * Runs `work` (regex calls on `input`) directly when the bound allows, otherwise under a vm
 * timeout of the evaluation's remaining wall-clock budget; a timeout is .NET's
 * RegexMatchTimeoutException. A spent budget fails before any matching starts.
 */
export function boundedRegex<T>(rt: Runtime, risk: RegexRisk, inputLength: number, work: () => T): T {
  if (!needsBound(risk, inputLength)) return work();
  rt.checkTime();
  const timeout = Math.max(1, Math.ceil(rt.remainingMilliseconds()));
  const box = sandbox as { run?: () => T };
  const previous = box.run;
  box.run = work;
  try {
    return runner.runInContext(sandbox, { timeout, breakOnSigint: false }) as T;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return raise('System.Text.RegularExpressions.RegexMatchTimeoutException', timeoutMessage);
    }
    throw err;
  } finally {
    // Nested bounded runs (a Replace evaluator calling Regex) restore the outer callback.
    box.run = previous;
  }
}
