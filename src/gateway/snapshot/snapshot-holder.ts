/**
 * Holds the snapshot the gateway serves from. A new snapshot replaces the old one in a single
 * assignment; requests in flight keep the one they started with.
 */
import type { GatewaySnapshot } from './gateway-snapshot.js';

export class SnapshotHolder {
  constructor(private snapshot: GatewaySnapshot) {}

  get current(): GatewaySnapshot {
    return this.snapshot;
  }

  /** Swaps in a snapshot that built successfully. */
  replace(next: GatewaySnapshot): void {
    this.snapshot = next;
  }
}
