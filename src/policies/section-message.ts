/**
 * The message a body-editing policy works on, by section (Microsoft: set-body "in the inbound
 * section changes the request … in the outbound section … the response"): the request in
 * `inbound`, and in `backend` until the backend answered; the response after that, in
 * `outbound` and in `on-error`.
 */
import type { BodySide } from '../pipeline/buffered-body.js';
import { PolicyRuntimeError, type GatewayContext } from '../pipeline/gateway-context.js';
import { defaultMaxBufferedBodyBytes, MessageBody } from '../pipeline/message-body.js';
import type { HeaderMap } from '../pipeline/header-map.js';

/** The two parts of a message a body policy reads and replaces. */
export interface EditableMessage {
  headers: HeaderMap;
  body: MessageBody;
}

/** The message the running section edits, and which side it is (for the buffering limit's error). */
export function sectionMessage(gw: GatewayContext): { message: EditableMessage; side: BodySide } {
  const request = gw.section === 'inbound' || (gw.section === 'backend' && !gw.forwarded);
  return request ? { message: gw.request, side: 'request' } : { message: gw.response, side: 'response' };
}

/**
 * Replaces a message's body with a new one (the old one may be shared: a response kept in a
 * variable that return-response copied); a length copied from the old content no longer
 * describes it.
 */
export function replaceBody(message: EditableMessage, content: Buffer | string): void {
  message.body.discard();
  message.body = new MessageBody(content);
  message.headers.delete('Content-Length');
}

/**
 * Fails `policy` when the body it would write is longer than a policy may buffer
 * (`--max-buffered-body-size`): a template or a replacement must not grow a body without bound.
 */
export function checkProducedLength(gw: GatewayContext, policy: string, length: number): void {
  const limit = gw.services.maxBufferedBodyBytes ?? defaultMaxBufferedBodyBytes;
  if (length > limit) {
    throw new PolicyRuntimeError(policy, 'BodyTooLarge', `The body ${policy} would produce is larger than the ${limit} bytes a policy may buffer.`);
  }
}
