/**
 * The self-service account requests below `…/service/{name}/identity` (docs/sign-up.md): sign-up,
 * its confirmation, password reset and its confirmation. They need no credentials (an
 * Authorization header is ignored) and are POSTs only; which of them a path names is decided
 * here, before the handler authenticates anything.
 */
import type { IncomingMessage } from 'node:http';
import { ArmError } from './arm-error.js';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.js';
import type { ArmResponse } from './resource-operations.js';
import { countRequest, type SelfServiceDeps } from './self-service-context.js';
import { confirmSignUp, signUp } from './sign-up.js';

type SelfServiceHandler = (req: IncomingMessage, deps: SelfServiceDeps) => Promise<ArmResponse>;

/** The routes, by their segments below the service in lower case. */
const routes: ReadonlyMap<string, SelfServiceHandler> = new Map([
  ['identity/signup', signUp],
  ['identity/confirm', confirmSignUp],
  ['identity/passwordreset', requestPasswordReset],
  ['identity/passwordreset/confirm', confirmPasswordReset],
]);

/** Whether `segments` (below the service) name a self-service request. */
export function isSelfServiceRequest(segments: readonly string[]): boolean {
  return routes.has(segments.join('/').toLowerCase());
}

/** Serves a self-service request (`segments` named one) from the client at `address`. */
export function handleSelfServiceRequest(req: IncomingMessage, segments: readonly string[], address: string, deps: SelfServiceDeps): Promise<ArmResponse> {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'POST') throw new ArmError(405, 'MethodNotAllowed', `The method '${method}' is not allowed on this resource; use POST.`);
  // Every request counts against its client address, whatever it asks (the body is not read yet).
  const refused = countRequest(deps.limits.perAddress, [`address:${address}`]);
  if (refused) return Promise.resolve(refused);
  return routes.get(segments.join('/').toLowerCase())!(req, deps);
}
