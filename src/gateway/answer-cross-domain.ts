/**
 * Answers GET and HEAD for `/crossdomain.xml` and `/clientaccesspolicy.xml` at the gateway root
 * with the documents of the global `cross-domain` policy (docs/policies/cross-domain.md): no
 * subscription key, no pipeline. A path the policy holds no document for is not answered here.
 */
import type { ServerResponse } from 'node:http';
import type { CrossDomainFiles } from './snapshot/cross-domain-files.js';

/** Writes the file when the request asks for one the policy holds; false otherwise (nothing written). */
export function answerCrossDomainFile(files: CrossDomainFiles, method: string, path: string, res: ServerResponse): boolean {
  if (files.size === 0 || (method !== 'GET' && method !== 'HEAD')) return false;
  const body = files.get(path.toLowerCase());
  if (body === undefined) return false;
  res.writeHead(200, 'OK', {
    'Content-Type': 'text/xml; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}
