/**
 * The gateway heartbeat port (docs/self-hosted-gateway.md, "Heartbeat"): where the management
 * plane keeps the last heartbeat of each self-hosted gateway instance, so every management
 * instance sharing a store lists the same ones. Beside the entity store, not in it: a heartbeat
 * is no resource, so writing one never bumps the configuration version every gateway follows,
 * never reaches the audit log and is never exported. SQLite and PostgreSQL implement it in a
 * table of their own; the entity store conformance suite checks both.
 */

/** What an instance reports (validated at the edge: gateway-heartbeats.ts). */
export interface HeartbeatReport {
  hostname: string;
  version: string;
  instanceId: string;
}

/** One instance's last heartbeat, as listed. */
export interface GatewayHeartbeat {
  instanceId: string;
  hostname: string;
  version: string;
  /** When the store first recorded this instance (ISO 8601, the recording store's clock). */
  firstHeartbeat: string;
  /** When it last did. */
  lastHeartbeat: string;
}

/** How much a store keeps: every implementation applies these on each write. */
export const heartbeatRetention = {
  /** Instances kept per gateway; recording one more drops the one heard from least recently. */
  instancesPerGateway: 100,
  /** An instance silent this long is no longer listed, and is deleted by the next write. */
  maxAgeMs: 24 * 3600_000,
} as const;

export interface GatewayHeartbeatStore {
  /**
   * Records a beat of an instance of the gateway whose entity id is `gatewayId`
   * (`gateways/{name}`, any casing): creates the instance's entry or refreshes it (keeping its
   * first beat), then drops entries beyond the retention. False, writing nothing, when no
   * entity has that id. Deleting the entity (or one above it) deletes its heartbeats.
   */
  recordHeartbeat(gatewayId: string, report: HeartbeatReport): Promise<boolean>;
  /** The instances of the gateway heard from within `heartbeatRetention.maxAgeMs`, the latest recorded first. */
  listHeartbeats(gatewayId: string): Promise<GatewayHeartbeat[]>;
}
