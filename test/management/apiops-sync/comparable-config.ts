/** Comparable views of gateway models (ServiceConfig) built from two stores. */
import type { ServiceConfig } from '../../../src/model/resources.js';

/**
 * Drops what differs by origin only: where a document came from, generated subscription keys and
 * the dates the management API stamps (creation, activation, registration: read-only there).
 */
export function comparableConfig(config: ServiceConfig): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== 'source' && x !== undefined && x !== null) out[k] = strip(x);
      return out;
    }
    return v;
  };
  const byName = <T extends { name: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.name < b.name ? -1 : 1));
  return strip({
    globalPolicy: config.globalPolicy,
    apis: byName(config.apis).map((a) => ({ ...a, operations: byName(a.operations) })),
    versionSets: byName(config.versionSets),
    products: byName(config.products),
    subscriptions: byName(config.subscriptions).map(({ primaryKey: _p, secondaryKey: _s, createdDate: _c, startDate: _d, ...rest }) => rest),
    namedValues: byName(config.namedValues),
    backends: byName(config.backends),
    policyFragments: byName(config.policyFragments),
    users: byName(config.users).map(({ registrationDate: _r, ...rest }) => rest),
  });
}
