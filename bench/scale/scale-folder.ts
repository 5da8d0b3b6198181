/**
 * Writes the scale configuration (scale-shape.ts) as an APIOps extractor folder, the way
 * `gatehouse start --config` reads real exports: one folder per API with its information file,
 * OpenAPI specification and policy; products with their API lists; one folder per subscription.
 * Files are written a few at a time (bounded concurrency) so 200,000 files take seconds.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  OPERATIONS,
  apiName,
  apiPath,
  apiPolicyXml,
  operationName,
  productName,
  productOf,
  subscriptionKey,
  subscriptionName,
  subscriptionScope,
  type ScaleShape,
} from './scale-shape.js';

/** One file to write: relative path and content. */
type FileJob = [string, string];

function* apiFiles(shape: ScaleShape, backendUrl: string): Generator<FileJob> {
  for (let i = 0; i < shape.apis; i++) {
    const dir = `apis/${apiName(i)}`;
    const info = { properties: { displayName: `API ${i}`, path: apiPath(i), serviceUrl: backendUrl, protocols: ['http', 'https'], subscriptionRequired: true, apiRevision: '1', isCurrent: true } };
    const paths: Record<string, Record<string, object>> = {};
    OPERATIONS.slice(0, shape.operationsPerApi).forEach(([method, template], k) => {
      const parameters = [...template.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      (paths[template] ??= {})[method.toLowerCase()] = { operationId: operationName(k), summary: `${method} ${template}`, parameters, responses: { '200': { description: 'OK' } } };
    });
    yield [`${dir}/apiInformation.json`, JSON.stringify(info)];
    yield [`${dir}/specification.json`, JSON.stringify({ openapi: '3.0.1', info: { title: `API ${i}`, version: '1' }, paths })];
    yield [`${dir}/policy.xml`, apiPolicyXml(i)];
  }
}

function* productFiles(shape: ScaleShape): Generator<FileJob> {
  const members: string[][] = Array.from({ length: shape.products }, () => []);
  for (let i = 0; i < shape.apis; i++) members[productOf(shape, i)]!.push(apiName(i));
  for (let p = 0; p < shape.products; p++) {
    const dir = `products/${productName(p)}`;
    yield [`${dir}/productInformation.json`, JSON.stringify({ properties: { displayName: `Product ${p}`, subscriptionRequired: true, state: 'published' } })];
    yield [`${dir}/apis.json`, JSON.stringify(members[p]!.map((name) => ({ name })))];
  }
}

function* subscriptionFiles(shape: ScaleShape): Generator<FileJob> {
  for (let n = 0; n < shape.subscriptions; n++) {
    const properties = {
      displayName: `Subscription ${n}`,
      scope: subscriptionScope(shape, n),
      state: 'active',
      primaryKey: subscriptionKey(n, 'primary'),
      secondaryKey: subscriptionKey(n, 'secondary'),
    };
    yield [`subscriptions/${subscriptionName(n)}/subscriptionInformation.json`, JSON.stringify({ properties })];
  }
}

/** Writes the folder for `shape` under `dir` (which must be empty or absent); returns the file count. */
export async function writeScaleFolder(dir: string, shape: ScaleShape, backendUrl: string, concurrency = 16): Promise<number> {
  const jobs = (function* () {
    yield* apiFiles(shape, backendUrl);
    yield* productFiles(shape);
    yield* subscriptionFiles(shape);
  })();
  let written = 0;
  const worker = async (): Promise<void> => {
    for (let next = jobs.next(); !next.done; next = jobs.next()) {
      const [path, content] = next.value;
      const full = join(dir, path);
      await mkdir(join(full, '..'), { recursive: true });
      await writeFile(full, content);
      written++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return written;
}
