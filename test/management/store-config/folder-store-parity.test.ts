/**
 * The same resources reach the gateway the same way whether they come from an APIOps folder
 * (`start --config`) or from the store (`gatehouse import` then `start`): the folder fixture is
 * imported into a real SQLite store and the store's configuration is compared with the folder
 * loader's, resource by resource, then compiled into a snapshot.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSnapshot } from '../../../src/gateway/snapshot/build-snapshot.js';
import { loadApiopsFolder } from '../../../src/management/apiops/load-apiops-folder.js';
import { importFolderToStore } from '../../../src/management/apiops-sync/import-folder-to-store.js';
import { readStoreConfig } from '../../../src/management/store-config/read-store-config.js';
import type { ServiceConfig } from '../../../src/model/resources.js';
import { policyRegistry } from '../../../src/policies/index.js';
import { SecretBox } from '../../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';

const folder = new URL('../../fixtures/apiops/sample', import.meta.url).pathname;
const byName = <T extends { name: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => a.name.localeCompare(b.name));

/** The parts of a configuration that decide what the gateway does. */
function served(config: ServiceConfig) {
  return {
    globalPolicy: config.globalPolicy?.xml,
    apis: byName(config.apis).map((a) => ({
      name: a.name,
      path: a.path,
      serviceUrl: a.serviceUrl,
      isCurrent: a.isCurrent,
      apiRevision: a.apiRevision,
      apiVersion: a.apiVersion,
      apiVersionSetId: a.apiVersionSetId,
      subscriptionRequired: a.subscriptionRequired,
      protocols: a.protocols,
      policy: a.policy?.xml,
      operations: byName(a.operations).map((o) => ({ name: o.name, method: o.method, urlTemplate: o.urlTemplate, policy: o.policy?.xml })),
    })),
    versionSets: byName(config.versionSets),
    // An unset limit is null in a folder and absent after an import; both mean no limit.
    products: byName(config.products).map((p) => ({ ...p, subscriptionsLimit: p.subscriptionsLimit ?? null, apis: [...p.apis].sort(), groups: [...p.groups].sort(), policy: p.policy?.xml })),
    subscriptions: byName(config.subscriptions).map((s) => ({ name: s.name, scope: s.scope, state: s.state, ownerId: s.ownerId })),
    namedValues: byName(config.namedValues).map((n) => ({ name: n.name, displayName: n.displayName, secret: n.secret, value: n.secret ? '(secret)' : n.value })),
    // The management API stores the default backend type; the folder leaves it unset.
    backends: byName(config.backends).map((b) => ({ name: b.name, url: b.url, type: b.type ?? 'Single', pool: b.pool })),
    policyFragments: byName(config.policyFragments).map((f) => ({ name: f.name, xml: f.policy.xml })),
  };
}

describe('folder and store give the gateway the same configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-parity-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the APIOps fixture and reads it back as the folder loader does', async () => {
    const store = await SqliteEntityStore.open({ dataDir: dir });
    try {
      const box = new SecretBox(randomBytes(32));
      await importFolderToStore(folder, store, box, 'test', { serviceName: 'gh' });
      const fromStore = (await readStoreConfig(store, { serviceName: 'gh', sealer: box })).config;
      const fromFolder = (await loadApiopsFolder(folder, () => undefined, { serviceName: 'gh' })).config;
      assert.deepEqual(served(fromStore), served(fromFolder));
      buildSnapshot(fromStore, { policies: policyRegistry, version: 1 });
    } finally {
      await store.close();
    }
  });
});
