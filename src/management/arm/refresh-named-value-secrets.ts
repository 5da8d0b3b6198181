/**
 * One pass of the periodic refresh of Key Vault named values and certificates (Azure re-reads
 * them every four hours): every stored named value or certificate with a `keyVault` reference is
 * read through the secret provider outside any store transaction, then stored in a short
 * transaction of its own (store-secret-read.ts, certificate-key-vault.ts: a new value makes a
 * new configuration version the gateway follows; a failure changes only `lastStatus`; an
 * unchanged read writes nothing).
 */
import type { EntityStore } from '../../core/entity-store.js';
import type { SecretProvider } from '../../core/secret-provider.js';
import type { ServicePath } from './arm-ids.js';
import { readCertificateSecret, storeCertificateRead } from './kinds/certificate-key-vault.js';
import { resolveSecret, storedReference } from './kinds/key-vault-reference.js';
import { storeSecretRead } from './kinds/store-secret-read.js';
import type { SecretSealer } from './secret-sealer.js';

/** What a refresh pass needs. */
export interface RefreshNamedValueSecretsOptions {
  store: EntityStore;
  sealer: SecretSealer;
  secrets: SecretProvider;
  service: ServicePath;
  now: () => Date;
  /** Who writes, for the audit log. */
  actor: string;
}

/** What one pass did: secrets read, values changed, reads that failed (by store kind and name). */
export interface RefreshSummary {
  read: number;
  changed: number;
  failed: Array<{ kind: 'namedValue' | 'certificate'; name: string; code: string; message: string }>;
}

/** How each kind with Key Vault references is read and stored. */
const readers = {
  namedValue: { read: resolveSecret, store: storeSecretRead, field: 'value' },
  certificate: { read: readCertificateSecret, store: storeCertificateRead, field: 'data' },
} as const;

/** Reads every Key Vault named value's and certificate's secret once and stores the outcome. */
export async function refreshNamedValueSecrets(options: RefreshNamedValueSecretsOptions): Promise<RefreshSummary> {
  const { store, now } = options;
  const summary: RefreshSummary = { read: 0, changed: 0, failed: [] };
  for (const kind of ['namedValue', 'certificate'] as const) {
    const { read, store: storeRead, field } = readers[kind];
    const entities = await store.transaction(options.actor, async (tx) => (await tx.list({ kind })).items);
    for (const entity of entities) {
      const reference = storedReference(entity.body);
      if (!reference) continue;
      const resolution = await read(options.secrets, reference, now);
      summary.read++;
      const name = entity.id.slice(entity.id.lastIndexOf('/') + 1);
      if (!resolution.ok) summary.failed.push({ kind, name, code: resolution.code, message: resolution.message });
      await store.transaction(options.actor, async (tx) => {
        const current = await tx.get(entity.id);
        if (!current) return;
        const ctx = { tx, service: options.service, sealer: options.sealer, now, query: new URLSearchParams() };
        const stored = await storeRead(ctx, current, reference, resolution);
        if (stored.body[field] !== current.body[field]) summary.changed++;
      });
    }
  }
  return summary;
}
