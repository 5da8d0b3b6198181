/**
 * Writes test/fixtures/apiops/every-kind/: a store filled with every kind the importer
 * supports (populate-store.ts) exported with its secrets. Run it again when the export format
 * changes on purpose: `node --import tsx test/management/apiops-sync/write-every-kind-fixture.ts`.
 */
import { rmSync } from 'node:fs';
import { exportStoreToFolder } from '../../../src/management/apiops-sync/export-store-to-folder.js';
import { startManagement } from '../arm/arm-harness.js';
import { populateStore } from './populate-store.js';

const target = new URL('../../fixtures/apiops/every-kind/', import.meta.url).pathname;
const m = await startManagement();
try {
  await populateStore(m);
  rmSync(target, { recursive: true, force: true });
  const { files } = await exportStoreToFolder(m.store, m.box, target, { exportSecrets: true });
  console.log(`wrote ${files.length} files to ${target}`);
} finally {
  await m.close();
}
