/**
 * Importing a folder reports how many of its resources were written, for the progress line
 * `start --config` shows during a long import: counts rise to the total and end on it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { importAndServe } from './import-served.js';
import { apiInformation, openApi, writeApiopsFolder } from '../../e2e/helpers/apiops-writer.js';

describe('folder import progress', () => {
  it('counts the resources written (7 APIs, 7 operations, the 7 specifications kept for export), up to the total', async () => {
    const files: Record<string, string | object> = {};
    for (let i = 0; i < 7; i++) {
      files[`apis/api-${i}/apiInformation.json`] = apiInformation({ displayName: `API ${i}`, path: `p${i}`, serviceUrl: 'http://127.0.0.1:9' });
      files[`apis/api-${i}/specification.json`] = openApi([{ operationId: 'get', method: 'get', path: '/x' }]);
    }
    const dir = writeApiopsFolder(files);
    try {
      const seen: Array<[number, number]> = [];
      const loaded = await importAndServe(dir, () => {}, { progress: (done, total) => seen.push([done, total]) });
      assert.equal(loaded.config.apis.length, 7);
      assert.ok(seen.length >= 2, JSON.stringify(seen));
      assert.ok(seen.every(([, total]) => total === 21), JSON.stringify(seen));
      assert.deepEqual(seen.at(-1), [21, 21]);
      assert.deepEqual(seen.map(([done]) => done), [...seen.map(([done]) => done)].sort((a, b) => a - b), 'never goes back');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
