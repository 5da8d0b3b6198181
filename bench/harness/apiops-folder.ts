/**
 * Writes the APIOps extractor folders the Gatehouse arms start from (the same layout an Azure
 * export has): files given as relative path → content, objects written as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type ApiopsFiles = Record<string, string | object>;

/** Writes `files` under `dir` (created as needed); returns `dir`. */
export function writeApiopsFiles(dir: string, files: ApiopsFiles): string {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** `apis/<name>/apiInformation.json` + an OpenAPI specification with GET operations `paths`. */
export function apiFiles(name: string, info: { path: string; serviceUrl: string; subscriptionRequired: boolean }, getPaths: string[]): ApiopsFiles {
  const paths: Record<string, object> = {};
  getPaths.forEach((p, i) => {
    paths[p] = { get: { operationId: `op${i}`, responses: { '200': { description: 'OK' } } } };
  });
  return {
    [`apis/${name}/apiInformation.json`]: {
      properties: { displayName: name, protocols: ['http', 'https'], apiRevision: '1', isCurrent: true, ...info },
    },
    [`apis/${name}/specification.json`]: { openapi: '3.0.1', info: { title: name, version: '1.0' }, paths },
  };
}
