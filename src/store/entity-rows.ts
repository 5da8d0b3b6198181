/**
 * The row shapes both SQL stores keep entities, audit records and gateway heartbeats in, and
 * their conversion to the ports' types: one table layout, two engines.
 */
import type { AuditRecord, StoredEntity } from '../core/entity-store.js';
import { heartbeatRetention, type GatewayHeartbeat } from '../core/gateway-heartbeat-store.js';

export interface EntityRow {
  kind: string;
  id: string;
  parent: string;
  body: string;
  etag: string;
  updated_at: string;
}

export interface AuditRow {
  at: string;
  actor: string;
  action: 'put' | 'delete';
  kind: string;
  id: string;
  etag_before: string | null;
  etag_after: string | null;
}

/** The entity columns, in EntityRow's order. */
export const ENTITY_COLUMNS = 'kind, id, parent, body, etag, updated_at';

/** A stored row as the port's entity. */
export function toEntity(row: EntityRow): StoredEntity {
  return {
    kind: row.kind,
    id: row.id,
    parent: row.parent,
    body: JSON.parse(row.body) as Record<string, unknown>,
    etag: row.etag,
    updatedAt: row.updated_at,
  };
}

/** An audit row as the port's audit record. */
export function toAudit(row: AuditRow): AuditRecord {
  return {
    at: row.at,
    actor: row.actor,
    action: row.action,
    kind: row.kind,
    id: row.id,
    etagBefore: row.etag_before,
    etagAfter: row.etag_after,
  };
}

export interface HeartbeatRow {
  instance_id: string;
  hostname: string;
  version: string;
  first_heartbeat: string;
  last_heartbeat: string;
}

/** The heartbeat columns, in HeartbeatRow's order. */
export const HEARTBEAT_COLUMNS = 'instance_id, hostname, version, first_heartbeat, last_heartbeat';

/** A stored row as the port's heartbeat. */
export function toHeartbeat(row: HeartbeatRow): GatewayHeartbeat {
  return {
    instanceId: row.instance_id,
    hostname: row.hostname,
    version: row.version,
    firstHeartbeat: row.first_heartbeat,
    lastHeartbeat: row.last_heartbeat,
  };
}

/** The oldest last beat still kept at `nowMs` (ISO 8601, which sorts as text). */
export function heartbeatCutoff(nowMs: number): string {
  return new Date(nowMs - heartbeatRetention.maxAgeMs).toISOString();
}
