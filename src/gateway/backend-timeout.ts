/**
 * Whether a failed call to a backend (forward-request, or a policy's own call) ran out of time:
 * undici's connect, headers and body timeouts, by class or by code. Azure's reason for those is
 * `Timeout`; any other failure is `BackendConnectionFailure` (reference §1.5).
 */
import { errors as undiciErrors } from 'undici';

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export function isBackendTimeout(err: unknown): boolean {
  return (
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError ||
    timeoutCodes.has((err as { code?: string } | null)?.code ?? '')
  );
}
