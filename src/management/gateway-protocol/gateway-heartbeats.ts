/**
 * The heartbeats of self-hosted gateway instances (docs/self-hosted-gateway.md, "Heartbeat"):
 * each running `gatehouse gateway` reports its host name, Gatehouse version and instance id every
 * few seconds. This file checks what one sends; the store keeps them (GatewayHeartbeatStore, in a
 * table beside the entities, so a heartbeat never bumps the configuration version every gateway
 * follows) and every management instance sharing the store lists them
 * (gateway-heartbeat-list.ts).
 */
import type { HeartbeatReport } from '../../core/gateway-heartbeat-store.js';
import { invalidField } from '../arm/arm-error.js';

const fieldRules: Record<keyof HeartbeatReport, { pattern: RegExp; text: string }> = {
  hostname: { pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252}[A-Za-z0-9])?$/, text: 'a host name (letters, digits, dots, hyphens, underscores; at most 254 characters)' },
  version: { pattern: /^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$/, text: 'a version (letters, digits, dots, + and -; at most 64 characters)' },
  instanceId: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, text: 'an id (letters, digits, dots, hyphens, underscores; at most 128 characters)' },
};

/** Checks a heartbeat body; throws a 400 ValidationError naming the field. */
export function readHeartbeatReport(body: Record<string, unknown> | undefined): HeartbeatReport {
  const given = body ?? {};
  const out: Partial<HeartbeatReport> = {};
  for (const [field, rule] of Object.entries(fieldRules) as Array<[keyof HeartbeatReport, { pattern: RegExp; text: string }]>) {
    const value = given[field];
    if (typeof value !== 'string' || !rule.pattern.test(value)) throw invalidField(field, `'${field}' must be ${rule.text}.`);
    out[field] = value;
  }
  return out as HeartbeatReport;
}
