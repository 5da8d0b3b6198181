/**
 * The files the `cross-domain` policy makes the gateway serve, taken from the global policy
 * document when a snapshot is built (the policy itself runs nothing per request).
 */
import type { PolicyDocument } from '../../model/resources.js';
import { substituteNamedValues } from '../../pipeline/named-values.js';
import { childElements, parseXml, serializeXml } from '../../pipeline/xml.js';
import { crossDomainFilePaths } from '../../policies/cross-domain.js';

/** Served body by lower-case path (`/crossdomain.xml`, `/clientaccesspolicy.xml`). */
export type CrossDomainFiles = ReadonlyMap<string, string>;

const declaration = '<?xml version="1.0" encoding="utf-8"?>\n';

/**
 * The documents of the global inbound `cross-domain` policy, named values substituted. Call
 * only on a document that compiled: the policy refused every other placement and shape there.
 */
export function crossDomainFilesOf(globalPolicy: PolicyDocument | undefined, namedValues: ReadonlyMap<string, string>): CrossDomainFiles {
  const files = new Map<string, string>();
  if (!globalPolicy || !globalPolicy.xml.includes('cross-domain')) return files;
  const inbound = childElements(parseXml(globalPolicy.xml), 'inbound')[0];
  const policy = inbound && childElements(inbound, 'cross-domain')[0];
  if (!policy) return files;
  for (const document of childElements(policy)) {
    const path = crossDomainFilePaths[document.name];
    if (!path) continue;
    const xml = substituteNamedValues(serializeXml(document), namedValues, (_name, reference) => reference);
    files.set(path, declaration + xml);
  }
  return files;
}
