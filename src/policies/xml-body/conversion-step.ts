/**
 * What json-to-xml and xml-to-json share: when to convert (`apply` always or only for a body of
 * the source type, `consider-accept-header` only when the caller's Accept asks for the target
 * type), reading the section's body within the buffering limit, and replacing it and its
 * Content-Type with the converted text.
 */
import { bufferWithinLimit } from '../../pipeline/buffered-body.js';
import { PolicyRuntimeError, type GatewayContext } from '../../pipeline/gateway-context.js';
import type { PolicyCompileContext, PolicyStep } from '../../pipeline/policy-module.js';
import type { XmlElement } from '../../pipeline/xml.js';
import { replaceBody, sectionMessage } from '../section-message.js';
import { acceptRequests } from './content-types.js';

export interface ConversionSpec {
  /** Whether a Content-Type is of the source type. */
  isSource(contentType: string | undefined): boolean;
  /** Whether an Accept header's media type asks for the target type. */
  isTarget(mediaType: string): boolean;
  /** The converted text; throws on a body that is not of the source type. */
  convert(text: string, gw: GatewayContext): string;
  /** The Content-Type of the converted body. */
  resultType: string;
}

/** The step of a conversion policy: its `apply` and `consider-accept-header`, then `spec`'s conversion. */
export function compileConversion(element: XmlElement, ctx: PolicyCompileContext, spec: ConversionSpec): PolicyStep {
  const policy = element.name;
  const apply = ctx.string(element, 'apply')!;
  const considerAcceptHeader = ctx.boolean(element, 'consider-accept-header')!;
  return async (gw) => {
    const { message, side } = sectionMessage(gw);
    const contentType = message.headers.get('content-type');
    const skip = (reason: string): void => {
      if (gw.requestTrace) gw.traceStep(policy, { converted: false, reason });
    };
    if (apply.get(gw) !== 'always' && !spec.isSource(contentType)) return skip(`Content-Type '${contentType ?? ''}' is not of the source type.`);
    if (considerAcceptHeader.get(gw) && !acceptRequests(gw.request.headers.get('accept'), spec.isTarget)) {
      return skip('The Accept header does not ask for the converted type.');
    }
    if (!message.body.present) return skip('The body is empty.');
    await bufferWithinLimit(gw, message.body, side, policy);
    const text = (message.body.bufferedContent ?? Buffer.alloc(0)).toString('utf8');
    let converted: string;
    try {
      converted = spec.convert(text, gw);
    } catch (err) {
      throw new PolicyRuntimeError(policy, 'BodyConversionFailure', `The ${side} body could not be converted: ${(err as Error).message}`);
    }
    replaceBody(message, converted);
    message.headers.set('Content-Type', spec.resultType);
    if (gw.requestTrace) gw.traceStep(policy, { converted: true, side, bytes: Buffer.byteLength(converted) });
  };
}
