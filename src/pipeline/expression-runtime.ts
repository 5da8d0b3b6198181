/**
 * Evaluates a compiled expression for a request. The `context` view handed to expressions is
 * built here from the gateway's request state.
 */
import { ExpressionEvaluationError, type CompiledExpression } from '../expressions/index.js';
import type { GatewayContext } from './gateway-context.js';

/** Evaluates; any exception becomes an ExpressionEvaluationError naming the element. */
export function evaluateExpressionValue(expression: CompiledExpression, gw: GatewayContext, element: string): unknown {
  try {
    return expression.evaluate(gw);
  } catch (err) {
    if (err instanceof ExpressionEvaluationError) throw err;
    throw new ExpressionEvaluationError(`Expression evaluation failed in '${element}': ${(err as Error).message}`);
  }
}
