/**
 * `return-response`: answers the caller at once and cancels the rest of the pipeline
 * (reference §2.3, §3). The answer starts as `200 OK` without body, or as the response held in
 * `response-variable-name`, and is then edited by the children `set-status`, `set-header`*,
 * `set-body`, in that order.
 *
 * `set-status` and `set-header` are the registered policies, compiled through
 * `ctx.compileChildren` as if in `outbound`, so they act on the response being built with
 * exactly their own semantics, wherever return-response sits. `set-body` is compiled here (see
 * set-body.ts) because it must also work in `on-error`, where the standalone policy is not
 * allowed.
 */
import { traceHeaders } from '../pipeline/trace-recorder.js';
import { STATUS_CODES } from 'node:http';
import { PolicyRuntimeError, type GatewayContext, type GatewayResponse } from '../pipeline/gateway-context.js';
import { HeaderMap } from '../pipeline/header-map.js';
import { MessageBody } from '../pipeline/message-body.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { childElements } from '../pipeline/xml.js';
import { compileBodyWriter, type BodyWriter } from './set-body.js';

/** The children in the order Azure requires them. */
const childOrder = ['set-status', 'set-header', 'set-body'] as const;

export const returnResponse: PolicyModule = {
  name: 'return-response',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    'response-variable-name': { type: 'string' },
  },
  compile(element, ctx) {
    const variableName = ctx.string(element, 'response-variable-name')?.constant;
    for (const child of element.children) {
      if (child.kind === 'text' && child.text.trim() !== '') ctx.fail(element, "Unexpected text content in 'return-response'.");
    }
    const children = childElements(element);
    let lastRank = -1;
    for (const child of children) {
      const rank = childOrder.indexOf(child.name as (typeof childOrder)[number]);
      if (rank < 0) {
        ctx.fail(child, `The element '${child.name}' is not allowed in 'return-response'; expected set-status, set-header or set-body.`);
      }
      if (rank < lastRank || (rank === lastRank && child.name !== 'set-header')) {
        ctx.fail(child, `The element '${child.name}' is out of order or repeated; 'return-response' takes set-status, set-header, set-body in that order.`);
      }
      lastRank = rank;
    }
    const editing = children.filter((c) => c.name !== 'set-body');
    const edits = ctx.compileChildren(editing, ctx.path, { as: 'outbound' });
    const bodyElement = children.find((c) => c.name === 'set-body');
    const writeBody: BodyWriter | undefined = bodyElement ? compileBodyWriter(bodyElement, ctx).write : undefined;

    return async (gw) => {
      const response = variableName === undefined ? defaultResponse() : responseFromVariable(gw, variableName);
      const replaced = gw.response;
      gw.response = response;
      gw.responseSeenByExpressions = replaced;
      try {
        await edits.run(gw);
        if (writeBody) writeBody(gw, gw.response);
      } finally {
        gw.responseSeenByExpressions = null;
      }
      // The answer being replaced (a backend response in outbound) is drained, unless the
      // variable's response streams that very body.
      if (response.body !== replaced.body) replaced.body.discard();
      gw.responded = true;
      if (gw.requestTrace) {
        const answer = gw.response;
        gw.traceStep('return-response', { message: 'Return response was applied', response: { status: { code: answer.statusCode, reason: answer.statusReason || (STATUS_CODES[answer.statusCode] ?? '') }, headers: traceHeaders(answer.headers) } });
      }
    };
  },
};

function defaultResponse(): GatewayResponse {
  return { statusCode: 200, statusReason: 'OK', headers: new HeaderMap(), body: MessageBody.empty() };
}

/** A copy of the response stored in a variable (send-request's result), so edits stay local. */
function responseFromVariable(gw: GatewayContext, name: string): GatewayResponse {
  const stored = gw.variables.get(name);
  if (!isResponse(stored)) {
    throw new PolicyRuntimeError(
      'return-response',
      'ResponseVariableNotFound',
      stored === undefined ? `Variable '${name}' was not found.` : `Variable '${name}' does not hold a response.`,
    );
  }
  const buffered = stored.body.bufferedContent;
  return {
    statusCode: stored.statusCode,
    statusReason: stored.statusReason,
    headers: stored.headers.clone(),
    body: buffered !== null ? new MessageBody(Buffer.from(buffered)) : stored.body,
  };
}

function isResponse(value: unknown): value is GatewayResponse {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Partial<GatewayResponse>;
  return typeof r.statusCode === 'number' && r.headers instanceof HeaderMap && r.body instanceof MessageBody;
}

