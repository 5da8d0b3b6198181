/**
 * A self-hosted gateway's heartbeat (docs/self-hosted-gateway.md, "Heartbeat"): its host name,
 * Gatehouse version and instance id, sent at start and then every interval, so the management
 * API can list the instances of each gateway. A failure is logged once when it starts and once
 * when beats go through again; it changes nothing about what the gateway serves.
 */
import { hostname } from 'node:os';
import type { Logger } from '../core/logger.js';
import type { GatewayManagementClient, HeartbeatBody } from './gateway-management-client.js';
import { repeat } from './periodic-task.js';

export interface HeartbeatSender {
  /** Sends one beat now. */
  beat(): Promise<void>;
  close(): Promise<void>;
}

/** The machine's host name as a heartbeat may carry it (letters, digits, dots, hyphens, underscores). */
export function heartbeatHostname(name = hostname()): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 254);
  return cleaned === '' ? 'unknown' : cleaned;
}

/** Starts beating every `intervalMs`, the first beat at once. */
export function startHeartbeats(options: { client: GatewayManagementClient; body: HeartbeatBody; intervalMs: number; logger: Logger }): HeartbeatSender {
  const { client, body, logger } = options;
  let failing = false;

  const send = async (): Promise<void> => {
    const outcome = await client.heartbeat(body);
    if (outcome.kind === 'sent') {
      if (failing) logger.info({ instanceId: body.instanceId }, 'heartbeat reported again');
      failing = false;
      return;
    }
    if (!failing) {
      const reason = outcome.kind === 'rejected' ? `token refused: ${outcome.message}` : outcome.reason;
      logger.warn({ instanceId: body.instanceId, reason }, 'heartbeat not reported');
    }
    failing = true;
  };

  const task = repeat(send, () => options.intervalMs, { immediate: true });

  return { beat: task.runNow, close: task.close };
}
