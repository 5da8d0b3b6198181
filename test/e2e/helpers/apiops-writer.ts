/**
 * Writes an APIOps extractor folder from a compact description, so e2e tests can point a real
 * gateway at a backend whose port is only known at run time.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Relative path → file content (objects are written as JSON). */
export type FolderContent = Record<string, string | object>;

/** Creates a temp folder with the files; returns its path. */
export function writeApiopsFolder(files: FolderContent): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-apiops-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** `apis/<name>/apiInformation.json` content. */
export function apiInformation(properties: Record<string, unknown>): object {
  return { properties: { protocols: ['http', 'https'], apiRevision: '1', isCurrent: true, ...properties } };
}

/** A minimal OpenAPI 3 document with the given operations. */
export function openApi(operations: Array<{ method: string; path: string; operationId: string; extra?: object }>): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    paths[op.path]![op.method.toLowerCase()] = { operationId: op.operationId, responses: { '200': { description: 'OK' } }, ...op.extra };
  }
  return { openapi: '3.0.1', info: { title: 'test', version: '1.0' }, paths };
}

/** The files of an open API (no subscription) at path `name`: its information, operations (id, method, path) and API-scope policy. */
export function openApiFolder(name: string, serviceUrl: string, operations: Array<[string, string, string]>, policy: string): FolderContent {
  return {
    [`apis/${name}/apiInformation.json`]: apiInformation({ displayName: name, path: name, serviceUrl, subscriptionRequired: false }),
    [`apis/${name}/specification.json`]: openApi(operations.map(([operationId, method, path]) => ({ operationId, method, path }))),
    [`apis/${name}/policy.xml`]: policy,
  };
}
