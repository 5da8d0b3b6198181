/**
 * `find-and-replace`: replaces every occurrence of `from` with `to` in the body of the message
 * the section works on (section-message.ts): the request in inbound, the response in outbound
 * and on-error. The match is ordinal and case-sensitive, as .NET's String.Replace.
 */
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import { PolicyRuntimeError } from '../pipeline/gateway-context.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { checkProducedLength, replaceBody, sectionMessage } from './section-message.js';

export const findAndReplace: PolicyModule = {
  name: 'find-and-replace',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    from: { type: 'string', required: true, expression: true },
    to: { type: 'string', required: true, expression: true },
  },
  compile(element, ctx) {
    const from = ctx.string(element, 'from')!;
    const to = ctx.string(element, 'to')!;
    if (from.isConstant && from.constant === '') ctx.fail(element, "The 'from' attribute must not be empty.");
    return async (gw) => {
      const { message, side } = sectionMessage(gw);
      const find = from.get(gw);
      if (find === '') throw new PolicyRuntimeError('find-and-replace', 'ExpressionValueEvaluationFailure', "The 'from' value is empty.");
      const replacement = to.get(gw);
      if (!message.body.present) {
        if (gw.requestTrace) gw.traceStep('find-and-replace', { side, replaced: 0 });
        return;
      }
      await bufferWithinLimit(gw, message.body, side, 'find-and-replace');
      const text = (message.body.bufferedContent ?? Buffer.alloc(0)).toString('utf8');
      const parts = text.split(find);
      if (parts.length > 1) {
        // Checked before the text is built: a short body with many matches may grow a thousandfold.
        checkProducedLength(gw, 'find-and-replace', text.length + (parts.length - 1) * (replacement.length - find.length));
        replaceBody(message, parts.join(replacement));
      }
      if (gw.requestTrace) gw.traceStep('find-and-replace', { side, replaced: parts.length - 1 });
    };
  },
};
