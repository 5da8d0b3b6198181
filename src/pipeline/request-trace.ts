/**
 * What a traced request records (Azure's request tracing: `listDebugCredentials`, the
 * `Apim-Debug-Authorization` header, `listTrace`). A request is traced only when its caller
 * presented a valid debug token; otherwise `gw.requestTrace` is undefined and policies record
 * nothing, so build the entry's data only inside `if (gw.requestTrace)`.
 */
import type { Section } from './gateway-context.js';

export interface RequestTrace {
  /**
   * Adds one entry to `section`'s list: `source` is the policy's element name (or `api-inspector`,
   * `forward-request`, `gateway` for the gateway's own steps, as Azure names them), `data` what it
   * did as JSON: an expression's result, the header set, the request sent, a cache hit. Secret
   * values (subscription keys, Authorization headers, named values marked secret, passwords)
   * never go in the clear: the recorder masks the headers it knows, the caller masks the rest.
   */
  record(section: Section, source: string, data: Readonly<Record<string, unknown>> | string): void;
}
