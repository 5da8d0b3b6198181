/**
 * The two failures of the expression language: a compile error with a position relative to
 * the expression text, and an evaluation error raised while a request runs (reference §4.1).
 */

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

/** A .NET exception raised by the runtime: its type name and message, as .NET would word them. */
export class DotNetException extends ExpressionEvaluationError {
  constructor(
    readonly exceptionType: string,
    readonly dotnetMessage: string,
  ) {
    super(`Expression evaluation failed. ${dotnetMessage}`);
    this.name = 'DotNetException';
  }
}

/** Throws a .NET-style exception (the message APIM shows in `context.LastError.Message`). */
export function raise(exceptionType: string, message: string): never {
  throw new DotNetException(exceptionType, message);
}

/** `NullReferenceException`, the most common runtime failure. */
export function nullReference(): never {
  return raise('System.NullReferenceException', 'Object reference not set to an instance of an object.');
}
