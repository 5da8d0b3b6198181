/**
 * `set-variable`: stores a value in `context.Variables` (reference §3). A literal value is
 * stored as a string; an expression's result keeps its type.
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { traceValue } from '../pipeline/trace-recorder.js';

export const setVariable: PolicyModule = {
  name: 'set-variable',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    name: { type: 'string', required: true },
    value: { type: 'string', required: true, expression: true },
  },
  compile(element, ctx) {
    const name = ctx.string(element, 'name')!.constant!;
    if (name.trim() === '') ctx.fail(element, "The 'name' attribute must not be empty.");
    const value = ctx.value(element, 'value')!;
    return (gw) => {
      const result = value.get(gw);
      gw.variables.set(name, result);
      if (gw.requestTrace) gw.traceStep('set-variable', { message: 'Context variable was successfully set.', name, value: traceValue(result) });
    };
  },
};
