/** `apis/<api>/apiInformation.json` → the API's properties (reference §5.2 "API"). */
import type { Api, Protocol } from '../../model/resources.js';
import type { RequiredQueryParameters } from '../openapi/operations-from-specification.js';
import type { FolderContext } from './folder-context.js';
import type { InformationFile } from './information-file.js';
import { resourceName } from './information-file.js';
import { isWebSocketApiType } from '../api-types/websocket-handshake.js';
import { isHttpUrl, isWebSocketUrl } from './http-url.js';
import { lastSegment } from './resource-id.js';

/** An API as read from its information file, before revisions are resolved and operations attached. */
export interface ApiDraft {
  api: Omit<Api, 'operations' | 'policy' | 'isCurrent'>;
  /** `isCurrent` as written (revisions resolve it, resolve-revisions.ts). */
  declaredCurrent?: boolean;
  /** Whether the name carries a `;rev=N` suffix. */
  revisionSuffix: boolean;
  /** How the specification's required query parameters become operations (default `query`). */
  requiredQueryParameters: RequiredQueryParameters;
  /** The information file, relative to the configuration folder. */
  file: string;
}

const protocols: readonly Protocol[] = ['http', 'https', 'ws', 'wss'];
const apiTypes = ['http', 'soap', 'websocket', 'graphql', 'odata', 'grpc'] as const;

/** Reads and validates the API's properties. */
export function readApiInformation(ctx: FolderContext, info: InformationFile, folderName: string): ApiDraft {
  const p = info.properties;
  const name = resourceName(info, folderName);
  const suffix = /;rev=([^;/]+)$/.exec(name);
  const declaredRevision = p.string('apiRevision');
  if (suffix && declaredRevision !== undefined && declaredRevision !== suffix[1]) {
    p.fail('apiRevision', `is '${declaredRevision}' but the API name '${name}' says revision ${suffix[1]}`);
  }
  const apiRevision = declaredRevision ?? suffix?.[1] ?? '1';
  if (!/^[0-9]{1,100}$/.test(apiRevision)) p.fail('apiRevision', `must be a revision number, found '${apiRevision}'`);

  const rawPath = p.requiredString('path');
  if (rawPath.length > 400) p.fail('path', 'must be at most 400 characters');
  // Azure stores the path without surrounding slashes; an empty path is the root.
  const path = rawPath.replace(/^\/+|\/+$/g, '');

  const displayName = p.string('displayName') ?? name.replace(/;rev=.*$/, '');
  if (displayName.length === 0 || displayName.length > 300) p.fail('displayName', 'must be 1-300 characters');

  const declaredProtocols = p.stringArray('protocols');
  const apiProtocols = (declaredProtocols ?? ['https']).map((x, i): Protocol => {
    return protocols.find((q) => q === x.toLowerCase()) ?? p.fail(`protocols[${i}]`, `must be one of ${protocols.join(', ')}, found '${x}'`);
  });
  if (apiProtocols.length === 0) p.fail('protocols', 'must list at least one protocol');

  const type = p.has('type') ? p.enumValue('type', apiTypes) : p.enumValue('apiType', apiTypes);
  const serviceUrl = p.string('serviceUrl');
  if (serviceUrl !== undefined && serviceUrl.length > 2000) p.fail('serviceUrl', 'must be at most 2000 characters');
  // A WebSocket API's backend is a ws(s) URL, every other API's an http(s) one.
  const webSocket = isWebSocketApiType(type);
  if (serviceUrl !== undefined && !(webSocket ? isWebSocketUrl(serviceUrl) : isHttpUrl(serviceUrl))) {
    // Kept as written: the gateway reports it per request (500) and the rest of the folder stays usable.
    ctx.log(`${info.file}: serviceUrl '${serviceUrl}' is not an absolute ${webSocket ? 'ws(s)' : 'http(s)'} URL; requests to this API will fail`);
  }

  const keyNames = p.object('subscriptionKeyParameterNames');
  const versionSetId = p.string('apiVersionSetId') ?? p.object('apiVersionSet')?.string('id');

  const api: ApiDraft['api'] = {
    name,
    displayName,
    path,
    serviceUrl: serviceUrl === '' ? undefined : serviceUrl,
    protocols: apiProtocols,
    description: p.string('description'),
    subscriptionRequired: p.boolean('subscriptionRequired') ?? true,
    subscriptionKeyParameterNames: keyNames ? { header: keyNames.string('header'), query: keyNames.string('query') } : undefined,
    type,
    apiRevision,
    apiRevisionDescription: p.string('apiRevisionDescription'),
    isOnline: p.boolean('isOnline') ?? true,
    apiVersion: p.string('apiVersion') || undefined,
    apiVersionDescription: p.string('apiVersionDescription'),
    apiVersionSetId: versionSetId ? lastSegment(versionSetId) : undefined,
  };
  return {
    api,
    declaredCurrent: p.boolean('isCurrent'),
    revisionSuffix: suffix !== null,
    requiredQueryParameters: p.enumValue('translateRequiredQueryParameters', ['template', 'query'] as const) ?? 'query',
    file: info.file,
  };
}
