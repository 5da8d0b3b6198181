/**
 * The policy expression language (reference §4): `@(expression)` and `@{ statements }`, a C# 7
 * subset with an allow-listed .NET surface, compiled once into closures and evaluated per
 * request against a `context` view (context-view.ts). See docs/expressions.md.
 */
import { checkProgram } from './checker.js';
import { compileProgram, type CompiledProgram } from './compiler.js';
import type { ContextView, ResponseView } from './context-view.js';
import { DotNetException, ExpressionCompileError, ExpressionEvaluationError } from './errors.js';
import { parseProgram } from './parser.js';
import { Runtime, defaultLimits, type ExpressionLimits } from './runtime/budget.js';
import { display } from './runtime/display.js';
import { DoubleValue } from './runtime/values.js';
import { dateFromMs } from './runtime/datetime.js';
import { HostObject } from './runtime/host-object.js';
import { setDisplayRuntime } from './runtime/json-members.js';

export { ExpressionCompileError, ExpressionEvaluationError } from './errors.js';
export type { ContextView, ResponseView } from './context-view.js';
export type { ExpressionLimits } from './runtime/budget.js';
export { defaultLimits } from './runtime/budget.js';

/** A compiled expression, evaluated against the request's `context` view. */
export interface CompiledExpression {
  evaluate(context: unknown): unknown;
  /** True when the expression may read a message body (`….Body…`), which must be buffered first. */
  readonly usesBody: boolean;
  /** The source text. */
  readonly source: string;
}

export interface CompileOptions {
  limits?: Partial<ExpressionLimits>;
}

/** True when a whole attribute or text value is a policy expression. */
export function isExpression(text: string): boolean {
  const t = text.trim();
  return (t.startsWith('@(') && t.endsWith(')')) || (t.startsWith('@{') && t.endsWith('}'));
}

class Expression implements CompiledExpression {
  readonly usesBody: boolean;
  constructor(
    readonly source: string,
    private readonly program: CompiledProgram,
    private readonly limits: ExpressionLimits,
  ) {
    this.usesBody = /\bBody\b/.test(source);
  }

  evaluate(context: unknown): unknown {
    const view = context as ContextView;
    const now = typeof view?.now === 'function' ? () => view.now() : Date.now;
    const rt = new Runtime(this.limits, now);
    const ctx = new HostObject('IProxyRequestContext', view as object);
    setDisplayRuntime(rt);
    try {
      const v = this.program.run(rt, ctx);
      return v === undefined ? null : v;
    } catch (err) {
      if (err instanceof ExpressionEvaluationError) throw err;
      if (err instanceof RangeError && /call stack/i.test(err.message)) {
        throw new ExpressionEvaluationError('Expression evaluation failed. The expression is nested too deeply to evaluate.');
      }
      // A JavaScript error here is a gap in the runtime; still an evaluation error for the request.
      throw new DotNetException('Gatehouse.InternalError', (err as Error)?.message ?? String(err));
    } finally {
      setDisplayRuntime(undefined);
    }
  }
}

/** Compiles `@(...)` or `@{...}`; throws ExpressionCompileError. */
export function compileExpression(source: string, options: CompileOptions = {}): CompiledExpression {
  let program;
  try {
    const parsed = parseProgram(source);
    program = compileProgram(checkProgram(parsed.program, parsed.map));
  } catch (err) {
    if (err instanceof ExpressionCompileError) throw err;
    if (err instanceof RangeError) throw new ExpressionCompileError('The expression is too deeply nested.');
    throw err;
  }
  return new Expression(source, program, { ...defaultLimits, ...options.limits });
}

/** A value as text the way .NET's ToString() gives it (`True`, `1.5`, JSON for JObject …). */
export function expressionValueToString(value: unknown): string {
  return display(value);
}

/** Wraps a response view (e.g. a send-request result kept in a variable) as an `IResponse`. */
export function responseVariable(view: ResponseView): unknown {
  return new HostObject('IResponse', view as object);
}

/**
 * Normalises a plain JavaScript value another policy stored (e.g. in a variable) into the
 * runtime model: integral numbers in Int32 range stay ints, larger integers become longs,
 * other numbers doubles, Dates DateTimes (UTC). Runtime values pass through unchanged.
 */
export function toExpressionValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) return value;
    if (Number.isSafeInteger(value)) return BigInt(value);
    return new DoubleValue(value);
  }
  if (value instanceof Date) return dateFromMs(value.getTime(), 'Utc');
  return value;
}
