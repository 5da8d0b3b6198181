/**
 * The heartbeats of self-hosted gateway instances (docs/self-hosted-gateway.md, "Heartbeat"):
 * each running `gatehouse gateway` reports its host name, Gatehouse version and instance id every
 * few seconds; the management API lists them per gateway (`GET …/gateways/{g}/heartbeats`,
 * Gatehouse's own resource). They are kept in the memory of the management process that received
 * them, outside the store: a heartbeat must never bump the configuration version every gateway
 * follows. A restart of the management process forgets them until the next beat (seconds). With
 * several management instances each knows the gateways that report to it.
 */
import { invalidField } from '../arm/arm-error.js';

/** One instance's last heartbeat, as listed. */
export interface GatewayHeartbeat {
  instanceId: string;
  hostname: string;
  version: string;
  /** When the management API first heard from this instance (ISO 8601). */
  firstHeartbeat: string;
  /** When it last did (ISO 8601). */
  lastHeartbeat: string;
}

/** What a gateway sends. */
export interface HeartbeatReport {
  hostname: string;
  version: string;
  instanceId: string;
}

/** At most this many instances per gateway are kept (the oldest beat goes first). */
const maxInstancesPerGateway = 256;
/** An instance silent this long is forgotten. */
const forgetAfterMs = 24 * 3600_000;

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

/** The heartbeats this management process received, per gateway. */
export class GatewayHeartbeats {
  private readonly byGateway = new Map<string, Map<string, GatewayHeartbeat>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Records a beat of an instance of `gateway` (its stored name). */
  record(gateway: string, report: HeartbeatReport): void {
    const key = gateway.toLowerCase();
    const instances = this.byGateway.get(key) ?? new Map<string, GatewayHeartbeat>();
    this.byGateway.set(key, instances);
    const at = this.now().toISOString();
    const previous = instances.get(report.instanceId);
    // Re-inserted, so the map's order is the order of the last beats (oldest first).
    instances.delete(report.instanceId);
    instances.set(report.instanceId, { ...report, firstHeartbeat: previous?.firstHeartbeat ?? at, lastHeartbeat: at });
    while (instances.size > maxInstancesPerGateway) instances.delete(instances.keys().next().value!);
  }

  /** The instances of `gateway` heard from within the last day, the latest beat first. */
  list(gateway: string): GatewayHeartbeat[] {
    const instances = this.byGateway.get(gateway.toLowerCase());
    if (!instances) return [];
    const oldest = this.now().getTime() - forgetAfterMs;
    for (const [id, beat] of instances) if (Date.parse(beat.lastHeartbeat) < oldest) instances.delete(id);
    return [...instances.values()].reverse();
  }
}
