/**
 * The texts of the gateway's own error answers, written out as literals: the independent oracle
 * the registry (src/core/gateway-errors.ts) and the running gateway are checked against. They
 * are never read from the source or from docs/errors.md, so a change to the registry and its
 * docs together still fails the tests that use them.
 *
 * Where they come from: Microsoft's "Error handling in API Management policies" page lists the
 * predefined errors' LastError Source, Reason and Message (OperationNotFound and the two
 * subscription-key errors; `multiple` is its Source for failures that are not one policy's); the
 * client bodies are those observed from Azure's gateway, the public-access refusal included
 * (reference §6.3). InvalidRequestPath is Gatehouse's own answer (Azure documents none), and so
 * are the LastError texts of the answers no policy ever sees (the public-access refusal,
 * InvalidRequestPath) and InternalServerError's: written as docs/errors.md states them.
 */

export interface ExpectedGatewayError {
  status: number;
  /** The body's `message`. */
  message: string;
  source: string;
  reason: string;
  /** `context.LastError.Message`. */
  lastErrorMessage: string;
}

/** Azure's client body of the public-access refusal, for a caller's address and a service name. */
export function publicNetworkAccessDisabledMessage(clientIp: string, serviceName: string): string {
  return (
    `Request originated from client public IP address ${clientIp}, public network access on this ` +
    `'Microsoft.ApiManagement/service/${serviceName}' is disabled. To connect to ` +
    `'Microsoft.ApiManagement/service/${serviceName}', please use the Private Endpoint from inside your ` +
    'virtual network. To learn more https://aka.ms/apim-privateendpoint'
  );
}

/** Reason, status, body message, LastError Source and Message: the table of docs/errors.md. */
const rows = [
  ['OperationNotFound', 404, 'Resource not found', 'configuration', 'Unable to match incoming request to an operation.'],
  // The body says "an API", LastError "this API": both as Azure words them.
  [
    'SubscriptionKeyNotFound',
    401,
    'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    'authorization',
    'Access denied due to missing subscription key. Make sure to include subscription key when making requests to this API.',
  ],
  [
    'SubscriptionKeyInvalid',
    401,
    'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    'authorization',
    'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
  ],
  ['PublicNetworkAccessDisabled', 403, publicNetworkAccessDisabledMessage('{clientIp}', '{serviceName}'), 'network', 'Public network access is disabled.'],
  ['InvalidRequestPath', 400, 'Invalid request path.', 'configuration', "The request path's dot segments climb above the API's path."],
  ['InternalServerError', 500, 'Internal server error', 'multiple', 'Internal server error'],
] as const;

type Code = (typeof rows)[number][0];

/** Every gateway-generated error, by its code (the LastError Reason). */
export const expectedGatewayErrors = Object.fromEntries(
  rows.map(([reason, status, message, source, lastErrorMessage]) => [reason, { status, message, source, reason, lastErrorMessage }]),
) as Record<Code, ExpectedGatewayError>;
