/**
 * The self-hosted gateway's side of the protocol (docs/self-hosted-gateway.md, "Protocol"): pulls
 * its configuration with `If-None-Match` and sends heartbeats, authenticating with
 * `Authorization: GatewayKey {token}`. Every answer becomes one of a few outcomes the follower
 * acts on; nothing here throws for what the network or the management API does.
 */
import { readLimitedBody } from '../core/limited-body.js';
import type { ServiceConfig } from '../model/resources.js';
import { decodeServiceConfig } from '../model/service-config-codec.js';
import { configVersionHeader, gatewayConfigurationPath, gatewayHeartbeatPath } from '../management/gateway-protocol/gateway-protocol-paths.js';

/** The largest configuration accepted (a service with thousands of operations fits easily). */
const maxConfigBytes = 256 * 1024 * 1024;
const pullTimeoutMs = 30_000;
const heartbeatTimeoutMs = 10_000;

/** What a pull of the configuration came to. */
export type ConfigPull =
  | { kind: 'changed'; config: ServiceConfig; etag: string; version: number }
  | { kind: 'unchanged' }
  /** 401: the token is refused (`expired` says whether it had expired). */
  | { kind: 'rejected'; expired: boolean; message: string }
  /** No answer: the management API is down, unreachable or too slow. */
  | { kind: 'unreachable'; reason: string }
  /** An answer that is not a configuration (another status, or a body that does not decode). */
  | { kind: 'failed'; reason: string };

/** What a heartbeat came to. */
export type HeartbeatOutcome = { kind: 'sent' } | { kind: 'rejected'; expired: boolean; message: string } | { kind: 'unreachable'; reason: string } | { kind: 'failed'; reason: string };

/** What a heartbeat says about the instance. */
export interface HeartbeatBody {
  hostname: string;
  version: string;
  instanceId: string;
}

/** A client of one management endpoint for one gateway token. */
export class GatewayManagementClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Pulls the configuration; the ETags given (the one served, one that failed to compile) make an unchanged one a 304. */
  async pull(...known: Array<string | undefined>): Promise<ConfigPull> {
    const tags = known.filter((t): t is string => t !== undefined).map((t) => `"${t}"`);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${gatewayConfigurationPath}`, {
        headers: { authorization: `GatewayKey ${this.token}`, ...(tags.length === 0 ? {} : { 'if-none-match': tags.join(', ') }) },
        signal: AbortSignal.timeout(pullTimeoutMs),
      });
    } catch (err) {
      return { kind: 'unreachable', reason: networkReason(err) };
    }
    if (response.status === 304) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'unchanged' };
    }
    if (response.status !== 200) return refusal(response);
    try {
      const text = (await readLimitedBody(response, maxConfigBytes)).toString('utf8');
      const tag = (response.headers.get('etag') ?? '').replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
      if (tag === '') return { kind: 'failed', reason: 'the answer has no ETag' };
      return { kind: 'changed', config: decodeServiceConfig(text), etag: tag, version: Number(response.headers.get(configVersionHeader) ?? 0) || 0 };
    } catch (err) {
      return { kind: 'failed', reason: `the configuration could not be read: ${(err as Error).message}` };
    }
  }

  /** Reports a heartbeat. */
  async heartbeat(body: HeartbeatBody): Promise<HeartbeatOutcome> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${gatewayHeartbeatPath}`, {
        method: 'POST',
        headers: { authorization: `GatewayKey ${this.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(heartbeatTimeoutMs),
      });
    } catch (err) {
      return { kind: 'unreachable', reason: networkReason(err) };
    }
    if (response.status === 204 || response.status === 200) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'sent' };
    }
    const outcome = await refusal(response);
    return outcome.kind === 'rejected' ? outcome : { kind: 'failed', reason: outcome.reason };
  }
}

/** A non-success answer: 401 is a rejected token, anything else a failure naming the status and the error's message. */
async function refusal(response: Response): Promise<{ kind: 'rejected'; expired: boolean; message: string } | { kind: 'failed'; reason: string }> {
  let code = '';
  let message = '';
  try {
    const body = JSON.parse((await readLimitedBody(response, 64 * 1024)).toString('utf8')) as { error?: { code?: unknown; message?: unknown } };
    code = typeof body.error?.code === 'string' ? body.error.code : '';
    message = typeof body.error?.message === 'string' ? body.error.message : '';
  } catch {
    // Not an error body: the status says enough.
  }
  if (response.status === 401) return { kind: 'rejected', expired: code === 'GatewayTokenExpired', message: message || 'the gateway token was refused' };
  return { kind: 'failed', reason: `HTTP ${response.status}${message ? `: ${message}` : ''}` };
}

/** Why fetch() got no answer, in a few words (`ECONNREFUSED`, `timeout`). */
function networkReason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'no answer in time';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
