/**
 * Reads a body into memory for a policy, within the gateway's buffering limit
 * (`--max-buffered-body-size`, docs/limits.md). A body past the limit fails the policy: a
 * request body with 413, a response body (the backend's, or one kept in a variable) with 502.
 */
import { PolicyRuntimeError, type GatewayContext } from './gateway-context.js';
import { BodyTooLargeError, defaultMaxBufferedBodyBytes, type MessageBody } from './message-body.js';

/** Whose body is read: the client's request, or a response. */
export type BodySide = 'request' | 'response';

/** The client message of the 502 for a response-side failure (reference §3 validate-*). */
export const responseSideMessage = 'The request could not be processed due to an internal error. Contact the API owner.';

/** Buffers `body` (keeping it for forwarding); past the limit, throws the policy's failure. */
export async function bufferWithinLimit(gw: GatewayContext, body: MessageBody, side: BodySide, policy: string): Promise<void> {
  const limit = gw.services.maxBufferedBodyBytes ?? defaultMaxBufferedBodyBytes;
  try {
    await body.read(true, limit);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    const message = `The ${side} body is larger than the ${limit} bytes a policy may buffer.`;
    if (side === 'request') throw new PolicyRuntimeError(policy, 'RequestBodyTooLarge', message, 413, message);
    throw new PolicyRuntimeError(policy, 'ResponseBodyTooLarge', message, 502, responseSideMessage);
  }
}
