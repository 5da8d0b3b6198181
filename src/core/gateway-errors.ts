/**
 * The coded registry of gateway-generated responses (reference §1.5). Every error the gateway
 * answers by itself has a stable code here, its status and its message text verbatim.
 */

export interface GatewayErrorDefinition {
  status: number;
  message: string;
  /** `context.LastError` fields for this error. */
  source: string;
  reason: string;
  lastErrorMessage: string;
}

// A plain object literal, not `as const`: StrykerJS never mutates inside a type assertion, so the
// texts would escape mutation testing (docs/testing.md). Read-only through the exported type.
const definitions = {
  OperationNotFound: {
    status: 404,
    message: 'Resource not found',
    source: 'configuration',
    reason: 'OperationNotFound',
    lastErrorMessage: 'Unable to match incoming request to an operation.',
  },
  SubscriptionKeyNotFound: {
    status: 401,
    message:
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    source: 'authorization',
    reason: 'SubscriptionKeyNotFound',
    lastErrorMessage:
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to this API.',
  },
  SubscriptionKeyInvalid: {
    status: 401,
    message:
      'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    source: 'authorization',
    reason: 'SubscriptionKeyInvalid',
    lastErrorMessage:
      'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
  },
  /**
   * A caller reached the public endpoint while `publicNetworkAccess` is Disabled (reference §6.3).
   * `{clientIp}` and `{serviceName}` are filled per request; no policy runs, so LastError is never seen.
   */
  PublicNetworkAccessDisabled: {
    status: 403,
    message:
      "Request originated from client public IP address {clientIp}, public network access on this 'Microsoft.ApiManagement/service/{serviceName}' is disabled. To connect to 'Microsoft.ApiManagement/service/{serviceName}', please use the Private Endpoint from inside your virtual network. To learn more https://aka.ms/apim-privateendpoint",
    source: 'network',
    reason: 'PublicNetworkAccessDisabled',
    lastErrorMessage: 'Public network access is disabled.',
  },
  /**
   * A request path whose dot segments climb above the API's path (or the root), or hide behind an
   * encoded separator (docs/routing.md, "Dot segments"). Azure documents no answer for it: a 400
   * in the gateway's body shape is ours [infer].
   */
  InvalidRequestPath: {
    status: 400,
    message: 'Invalid request path.',
    source: 'configuration',
    reason: 'InvalidRequestPath',
    lastErrorMessage: "The request path's dot segments climb above the API's path.",
  },
  InternalServerError: {
    status: 500,
    message: 'Internal server error',
    source: 'multiple',
    reason: 'InternalServerError',
    lastErrorMessage: 'Internal server error',
  },
} satisfies Record<string, GatewayErrorDefinition>;

export type GatewayErrorCode = keyof typeof definitions;

/** Every gateway-generated error by its code (the LastError Reason). */
export const gatewayErrors: Readonly<Record<GatewayErrorCode, Readonly<GatewayErrorDefinition>>> = definitions;

/** The JSON body Azure sends for gateway-generated responses. */
export function gatewayErrorBody(status: number, message: string, activityId?: string): string {
  // JSON.stringify leaves an undefined activityId out: the 4xx bodies have none.
  return JSON.stringify({ statusCode: status, message, activityId });
}
