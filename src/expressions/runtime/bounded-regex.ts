/**
 * Bounds regular-expression work by the evaluation's wall-clock budget. A single RegExp match
 * runs inside V8 and never returns to the interpreter, so the step budget cannot stop a
 * catastrophic backtrack; `node:vm` with `timeout` can (V8 TerminateExecution, verified on
 * Node 20 against /^(a+)+$/ on 'aaa…b'). Entering vm costs a watchdog thread (~0.1 ms), so only
 * work a static estimate cannot bound runs there; everything else runs directly.
 */
import vm from 'node:vm';
import { raise } from '../errors.js';
import type { Runtime } from './budget.js';

/** How a pattern can degrade: `exponential` always runs bounded, `polynomial` beyond a size. */
export interface RegexRisk {
  exponential: boolean;
  /** Backtracking choices per position, as a power of the input length: n^degree · factor. */
  degree: number;
  factor: number;
}

/**
 * Work (an upper bound on backtracking steps) a direct, unbounded run may cost: at most a few
 * tens of milliseconds, against ~0.1 ms for every bounded run (vm starts a watchdog thread).
 */
const directWorkLimit = 20_000_000;

interface Frame {
  variable: boolean;
  alternation: boolean;
  branches: number;
}

/**
 * A conservative static reading of a (JavaScript-syntax) pattern: a quantified group holding a
 * variable quantifier or an alternation, or any back-reference, can backtrack exponentially;
 * otherwise each variable quantifier multiplies the choices per position by up to the input
 * length and each alternation by its branch count.
 */
export function analyzeRegex(source: string): RegexRisk {
  const risk: RegexRisk = { exponential: false, degree: 0, factor: 1 };
  const stack: Frame[] = [{ variable: false, alternation: false, branches: 1 }];
  let lastGroup: Frame | null = null;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) risk.exponential = true;
      i++;
      lastGroup = null;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      lastGroup = null;
      continue;
    }
    if (c === '(') {
      stack.push({ variable: false, alternation: false, branches: 1 });
      lastGroup = null;
      // Skip the group kind (`?:`, `?=`, `?!`, `?<=`, `?<!`, `?<name>`): its `?` is no quantifier.
      const kind = /^\?(?::|=|!|<=|<!|<[A-Za-z_]\w*>)/.exec(source.slice(i + 1, i + 260));
      if (kind) i += kind[0].length;
      continue;
    }
    if (c === ')') {
      const closed = stack.length > 1 ? stack.pop()! : top;
      const parent = stack[stack.length - 1]!;
      if (closed.variable) parent.variable = true;
      if (closed.alternation) parent.alternation = true;
      risk.factor *= closed.branches;
      lastGroup = closed;
      continue;
    }
    if (c === '|') {
      top.alternation = true;
      top.branches++;
      lastGroup = null;
      continue;
    }
    const quantifier = quantifierAt(source, i);
    if (quantifier) {
      // The group (or atom) just before a quantifier is repeated; a repeated group that can
      // itself match in several ways is the classic exponential shape ((a+)+, (a|a)*).
      if (quantifier.variable) {
        if (quantifier.repeats && lastGroup && (lastGroup.variable || lastGroup.alternation)) risk.exponential = true;
        top.variable = true;
        if (quantifier.range === Infinity) risk.degree++;
        else risk.factor *= quantifier.range + 1;
      }
      i += quantifier.length - 1;
      if (source[i + 1] === '?') i++;
      lastGroup = null;
      continue;
    }
    lastGroup = null;
  }
  if (risk.factor > 1e9) risk.exponential = true;
  return risk;
}

interface Quantifier {
  variable: boolean;
  /** Whether the atom can match more than once (an optional group cannot compound). */
  repeats: boolean;
  range: number;
  length: number;
}

function quantifierAt(source: string, i: number): Quantifier | null {
  const c = source[i];
  if (c === '*' || c === '+') return { variable: true, repeats: true, range: Infinity, length: 1 };
  if (c === '?') return { variable: true, repeats: false, range: 1, length: 1 };
  if (c !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  return { variable: max > min, repeats: max > 1, range: max - min, length: m[0].length };
}

/** Whether matching this pattern against `inputLength` characters may take unbounded time. */
export function needsBound(risk: RegexRisk, inputLength: number, patternLength: number): boolean {
  if (risk.exponential) return true;
  const n = inputLength + 1;
  let work = n * risk.factor * Math.max(1, patternLength);
  for (let d = 0; d < risk.degree && work <= directWorkLimit; d++) work *= n;
  return work > directWorkLimit;
}

const sandbox = vm.createContext(Object.create(null) as object);
const runner = new vm.Script('run()');

/** The message of .NET's RegexMatchTimeoutException. */
const timeoutMessage =
  'The Regex engine has timed out while trying to match a pattern to an input string. This can occur for many reasons, including very large inputs or excessive backtracking caused by nested quantifiers, back-references and other factors.';

/**
 * Runs `work` (regex calls on `input`) directly when the estimate bounds it, otherwise under a
 * vm timeout of the evaluation's remaining wall-clock budget; a timeout is .NET's
 * RegexMatchTimeoutException.
 */
export function boundedRegex<T>(rt: Runtime, risk: RegexRisk, patternLength: number, inputLength: number, work: () => T): T {
  if (!needsBound(risk, inputLength, patternLength)) return work();
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
