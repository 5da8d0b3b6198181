/**
 * `set-body`: sets the body of the message the section works on (section-message.ts): the
 * request in inbound (and in backend before the backend answered), the response in outbound.
 * The content is literal text (markup included, a SOAP envelope for one), a policy expression,
 * or with `template="liquid"` a Liquid template over `context` and the current `body`
 * (liquid/). The same compiled writer serves return-response's and send-request's `set-body`
 * child, which writes the response or request being built; there a Liquid template's `body` is
 * empty, as Microsoft documents for return-response.
 */
import { bufferWithinLimit } from '../pipeline/buffered-body.js';
import { checkChildAttributes } from '../pipeline/child-attributes.js';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import type { AttributeSpec, PolicyCompileContext, PolicyModule } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import type { XmlElement } from '../pipeline/xml.js';
import { liquidBody } from './liquid/liquid-body.js';
import { LiquidContext } from './liquid/liquid-context.js';
import { LiquidRenderError, LiquidSyntaxError, LiquidTemplate } from './liquid/liquid-template.js';
import { checkProducedLength, replaceBody, sectionMessage, type EditableMessage } from './section-message.js';

const attributes: Readonly<Record<string, AttributeSpec>> = {
  template: { type: 'enum', values: ['none', 'liquid'], default: 'none' },
  'xsi-nil': { type: 'enum', values: ['blank', 'null'], default: 'blank' },
  'parse-date': { type: 'boolean', default: true },
};

/**
 * Writes the body into `target`; `input` is the message whose body a Liquid template reads as
 * `body` (buffered already), absent where the template gets an empty input.
 */
export type BodyWriter = (gw: GatewayContext, target: EditableMessage, input?: EditableMessage) => void;

/** A compiled `<set-body>`: its writer, and whether it renders a Liquid template (which reads the body). */
export interface CompiledBody {
  write: BodyWriter;
  liquid: boolean;
}

/** Compiles a `<set-body>` element, the policy or a child of return-response / send-request. */
export function compileBodyWriter(element: XmlElement, ctx: PolicyCompileContext): CompiledBody {
  checkChildAttributes(element, attributes, ctx, { asPolicy: true });
  const liquid = ctx.string(element, 'template', attributes.template)!.constant === 'liquid';
  const xsiNil = ctx.string(element, 'xsi-nil', attributes['xsi-nil'])!.constant as 'blank' | 'null';
  const parseDate = ctx.boolean(element, 'parse-date', attributes['parse-date'])!.constant!;
  if (liquid) return { liquid, write: liquidWriter(element, ctx, { xsiNil, parseDate }) };
  const content = literalOrExpression(element, ctx);
  return {
    liquid,
    write: (gw, target) => {
      const text = content.get(gw);
      checkProducedLength(gw, 'set-body', Buffer.byteLength(text));
      replaceBody(target, text);
      if (gw.requestTrace) gw.traceStep('set-body', { template: 'none', bytes: Buffer.byteLength(text) });
    },
  };
}

/** Text (an expression when it is one) or, for content with markup, the markup as written. */
function literalOrExpression(element: XmlElement, ctx: PolicyCompileContext): Value<string> {
  const hasMarkup = element.children.some((c) => c.kind === 'element');
  if (!hasMarkup) return ctx.text(element);
  const markup = ctx.markup(element);
  return { constant: markup, isConstant: true, get: () => markup };
}

function liquidWriter(element: XmlElement, ctx: PolicyCompileContext, options: { xsiNil: 'blank' | 'null'; parseDate: boolean }): BodyWriter {
  const text = ctx.markup(element, { keepUnknownReferences: true });
  let template: LiquidTemplate;
  try {
    template = LiquidTemplate.parse(text);
  } catch (err) {
    if (!(err instanceof LiquidSyntaxError)) throw err;
    // The template starts right after the start tag: its first line is the element's line.
    const line = element.line + err.line - 1;
    const column = err.line === 1 ? element.column : err.column;
    ctx.fail({ ...element, line, column }, `The Liquid template is not valid: ${err.reason}`);
  }
  const budgetMs = ctx.timeBudgetMs;
  return (gw, target, input) => {
    let body: unknown = '';
    if (input) {
      try {
        body = liquidBody(input.body.bufferedContent ?? Buffer.alloc(0), input.headers.get('content-type'), options);
      } catch (err) {
        throw new PolicyRuntimeError('set-body', 'BodyConversionFailure', `The body could not be read for the Liquid template: ${(err as Error).message}`);
      }
    }
    let output: string;
    try {
      output = template.render({ context: new LiquidContext(gw), body }, budgetMs);
    } catch (err) {
      if (!(err instanceof LiquidRenderError)) throw err;
      throw new PolicyRuntimeError('set-body', 'LiquidTemplateFailure', err.message);
    }
    checkProducedLength(gw, 'set-body', Buffer.byteLength(output));
    replaceBody(target, output);
    if (gw.requestTrace) gw.traceStep('set-body', { template: 'liquid', bytes: Buffer.byteLength(output) });
  };
}

export const setBody: PolicyModule = {
  name: 'set-body',
  sections: ['inbound', 'backend', 'outbound'],
  attributes,
  compile(element, ctx) {
    const body = compileBodyWriter(element, ctx);
    return async (gw) => {
      const { message, side } = sectionMessage(gw);
      if (body.liquid && message.body.present) await bufferWithinLimit(gw, message.body, side, 'set-body');
      body.write(gw, message, message);
    };
  },
};
