/**
 * The policy expression language (reference §4): `@(expression)` and `@{ statements }`.
 * The interpreter is not built yet; until it is, compiling an expression is a clear compile
 * error rather than a silent pass.
 */

/** A compiled expression, evaluated against the request's `context` view. */
export interface CompiledExpression {
  evaluate(context: unknown): unknown;
}

/** A diagnostic with a position relative to the start of the expression text (1-based). */
export class ExpressionCompileError extends Error {
  constructor(
    readonly reason: string,
    readonly offsetLine = 1,
    readonly offsetColumn = 1,
  ) {
    super(reason);
    this.name = 'ExpressionCompileError';
  }
}

/** A failure while evaluating; becomes `ExpressionValueEvaluationFailure` in `context.LastError`. */
export class ExpressionEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionEvaluationError';
  }
}

/** True when a whole attribute or text value is a policy expression. */
export function isExpression(text: string): boolean {
  const t = text.trim();
  return (t.startsWith('@(') && t.endsWith(')')) || (t.startsWith('@{') && t.endsWith('}'));
}

/** Compiles `@(...)` or `@{...}`; throws ExpressionCompileError. */
export function compileExpression(source: string): CompiledExpression {
  void source;
  throw new ExpressionCompileError('expressions are not supported yet');
}
