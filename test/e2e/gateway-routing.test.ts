/**
 * Routing (reference §1.2–1.3) through a real `gatehouse start` process and the real echo
 * backend: API by longest whole-segment path prefix, the root API, version sets (Segment, Query,
 * Header, with and without an Original), revisions, operation templates and their precedence,
 * methods, protocols, the 404 body, and the backend URL (serviceUrl + rest of path + query).
 * Each operation sets `X-Operation` so the row sees which operation answered; `rewrite-uri`
 * makes the matched parameters visible in the backend path.
 */
import { apiInformation, openApi, writeApiopsFolder, type FolderContent } from './helpers/apiops-writer.js';
import { describeGatewayTable, inboundPolicy, notFound, setHeader, type GatewayRow } from './helpers/routing-keys-config.js';

const partnersKey = 'abcdef';

/** One operation of a test API: OpenAPI path, method, operationId and an optional inbound policy. */
interface Op {
  method: string;
  path: string;
  id: string;
  inbound?: string;
  extra?: object;
}

/** The files of one API folder: information, specification and one policy per operation. */
function apiFolder(folder: string, info: Record<string, unknown>, ops: Op[]): FolderContent {
  const files: FolderContent = {
    [`apis/${folder}/apiInformation.json`]: apiInformation({ subscriptionRequired: false, ...info }),
    [`apis/${folder}/specification.json`]: openApi(ops.map((o) => ({ method: o.method, path: o.path, operationId: o.id, extra: o.extra }))),
  };
  // Every operation names itself to the backend; some also rewrite the URL.
  for (const op of ops) {
    files[`apis/${folder}/operations/${op.id}/policy.xml`] = inboundPolicy(setHeader('X-Operation', op.id) + (op.inbound ?? ''));
  }
  return files;
}

/** An operation of the `contract` API as operationInformation.json, with its policy. */
function contractOperation(name: string, urlTemplate: string, params: string[], inbound = ''): FolderContent {
  return {
    [`apis/contract/operations/${name}/operationInformation.json`]: {
      properties: {
        displayName: name,
        method: 'GET',
        urlTemplate,
        templateParameters: params.map((p) => ({ name: p, type: 'string', required: true })),
      },
    },
    [`apis/contract/operations/${name}/policy.xml`]: inboundPolicy(setHeader('X-Operation', name) + inbound),
  };
}

function versionSet(name: string, scheme: string, extra: Record<string, string> = {}): FolderContent {
  return { [`version sets/${name}/versionSetInformation.json`]: { properties: { displayName: name, versioningScheme: scheme, ...extra } } };
}

function configFolder(backend: string): string {
  const items = (id: string): Op[] => [{ method: 'GET', path: '/items', id }];
  return writeApiopsFolder({
    // Nested API paths and the root API.
    ...apiFolder('root', { path: '', serviceUrl: `${backend}/root` }, [
      { method: 'GET', path: '/hello', id: 'root-hello' },
      { method: 'GET', path: '/ordersx/{id}', id: 'root-ordersx' },
    ]),
    ...apiFolder('orders', { path: 'orders', serviceUrl: `${backend}/orders-svc` }, [
      { method: 'GET', path: '/{id}', id: 'order-by-id' },
      { method: 'GET', path: '/list', id: 'order-list' },
    ]),
    ...apiFolder('orders-admin', { path: '/orders/admin/', serviceUrl: `${backend}/admin-svc` }, [
      { method: 'GET', path: '/{id}', id: 'admin-by-id' },
    ]),

    // Version sets: Segment with an Original, Query, Header, and a Segment set without Original.
    ...versionSet('seg-vs', 'Segment'),
    ...apiFolder('seg-orig', { path: 'segapi', serviceUrl: `${backend}/seg/orig`, apiVersionSetId: 'seg-vs' }, items('seg-orig-items')),
    ...apiFolder('seg-v1', { path: 'segapi', serviceUrl: `${backend}/seg/v1`, apiVersionSetId: 'seg-vs', apiVersion: 'v1' }, items('seg-v1-items')),
    ...apiFolder('seg-v2', { path: 'segapi', serviceUrl: `${backend}/seg/v2`, apiVersionSetId: 'seg-vs', apiVersion: 'v2' }, items('seg-v2-items')),
    ...versionSet('query-vs', 'Query', { versionQueryName: 'api-version' }),
    ...apiFolder('q-orig', { path: 'qapi', serviceUrl: `${backend}/q/orig`, apiVersionSetId: 'query-vs' }, items('q-orig-items')),
    ...apiFolder('q-2024', { path: 'qapi', serviceUrl: `${backend}/q/2024`, apiVersionSetId: '/apiVersionSets/query-vs', apiVersion: '2024-01-01' }, items('q-2024-items')),
    ...versionSet('header-vs', 'Header', { versionHeaderName: 'X-Version' }),
    ...apiFolder('h-orig', { path: 'hapi', serviceUrl: `${backend}/h/orig`, apiVersionSetId: 'header-vs' }, items('h-orig-items')),
    ...apiFolder('h-1', { path: 'hapi', serviceUrl: `${backend}/h/1`, apiVersionSetId: 'header-vs', apiVersion: 'h1' }, items('h-1-items')),
    ...versionSet('nov-vs', 'Segment'),
    ...apiFolder('nov-v1', { path: 'novapi', serviceUrl: `${backend}/nov/v1`, apiVersionSetId: 'nov-vs', apiVersion: 'v1' }, items('nov-v1-items')),

    // Revisions: 1 current, 2 online, 3 offline.
    ...apiFolder('rev-api', { path: 'revapi', serviceUrl: `${backend}/rev/1`, apiRevision: '1', isCurrent: true }, items('rev1-items')),
    ...apiFolder('rev-api;rev=2', { path: 'revapi', serviceUrl: `${backend}/rev/2`, apiRevision: '2', isCurrent: false }, items('rev2-items')),
    ...apiFolder('rev-api;rev=3', { path: 'revapi', serviceUrl: `${backend}/rev/3`, apiRevision: '3', isCurrent: false, isOnline: false }, items('rev3-items')),

    // Operation templates.
    ...apiFolder('ops', { path: 'ops', serviceUrl: `${backend}/ops`, translateRequiredQueryParameters: 'template' }, [
      { method: 'GET', path: '/items/new', id: 'item-new' },
      { method: 'GET', path: '/items/{id}', id: 'item-by-id', inbound: '<rewrite-uri template="/seen/{id}" />' },
      { method: 'GET', path: '/items/*', id: 'item-wildcard', inbound: '<rewrite-uri template="/wild/{*}" />' },
      { method: 'GET', path: '/files/{*rest}', id: 'file-greedy', inbound: '<rewrite-uri template="/files-seen/{rest}" />' },
      { method: 'GET', path: '/reports/{name}.json', id: 'report-json', inbound: '<rewrite-uri template="/report/{name}" />' },
      {
        method: 'GET',
        path: '/search',
        id: 'search',
        inbound: '<rewrite-uri template="/found/{q}" />',
        extra: {
          parameters: [
            { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'page', in: 'query', required: false, schema: { type: 'string' } },
          ],
        },
      },
    ]),

    // Operations written as operationInformation.json (the form for literal query templates):
    // {id} and {*rest} on the same path, and `?mode=fast` beside a plain template.
    'apis/contract/apiInformation.json': apiInformation({ path: 'contract', serviceUrl: `${backend}/contract-svc`, subscriptionRequired: false }),
    ...contractOperation('files-one', '/files/{id}', ['id'], '<rewrite-uri template="/one/{id}" />'),
    ...contractOperation('files-all', '/files/{*rest}', ['rest'], '<rewrite-uri template="/all/{rest}" />'),
    ...contractOperation('run-fast', '/run?mode=fast', []),
    ...contractOperation('run-any', '/run', []),

    // Protocols: HTTPS only, called over HTTP.
    ...apiFolder('secure', { path: 'secure', serviceUrl: `${backend}/secure`, protocols: ['https'] }, [{ method: 'GET', path: '/x', id: 'secure-x' }]),

    // The reference's backend URL example (§1.3), with a key in the query.
    ...apiFolder('partners', { path: 'api', serviceUrl: `${backend}/api/10.4/`, subscriptionRequired: true }, [
      { method: 'GET', path: '/partners/{id}', id: 'partner' },
    ]),
    'subscriptions/partners/subscriptionInformation.json': {
      properties: { displayName: 'Partners', scope: '/apis/partners', state: 'active', primaryKey: partnersKey, secondaryKey: 'partners-secondary' },
    },
  });
}

const op = (id: string) => ({ 'X-Operation': id });

const rows: GatewayRow[] = [
  // §1.2 API by path: longest whole-segment prefix, root API.
  { name: 'API path selects the API; rest of path goes to serviceUrl', request: { path: '/orders/15' }, status: 200, backend: { path: '/orders-svc/15', headers: op('order-by-id') } },
  { name: 'nested API path: the longer prefix orders/admin wins', request: { path: '/orders/admin/15' }, status: 200, backend: { path: '/admin-svc/15', headers: op('admin-by-id') } },
  { name: 'nested API path with no operation for the rest: 404, no fallback to the shorter API', request: { path: '/orders/admin' }, status: 404, body: notFound },
  { name: 'API path compared case-insensitively; rest of path kept as sent', request: { path: '/ORDERS/List' }, status: 200, backend: { path: '/orders-svc/List', headers: op('order-list') } },
  { name: 'ordersx is not orders: the root API answers', request: { path: '/ordersx/15' }, status: 200, backend: { path: '/root/ordersx/15', headers: op('root-ordersx') } },
  { name: 'root API (empty path) answers paths no other API claims', request: { path: '/hello' }, status: 200, backend: { path: '/root/hello', headers: op('root-hello') } },
  { name: 'longest API has no matching operation: 404 even though the root API could not either', request: { path: '/orders/a/b' }, status: 404, body: notFound },
  { name: 'root API without a matching operation: 404', request: { path: '/nowhere' }, status: 404, body: notFound },

  // §1.2 version sets.
  { name: 'Segment: /segapi/v1 reaches version v1', request: { path: '/segapi/v1/items' }, status: 200, backend: { path: '/seg/v1/items', headers: op('seg-v1-items') } },
  { name: 'Segment: version id case-insensitive (V2)', request: { path: '/segapi/V2/items' }, status: 200, backend: { path: '/seg/v2/items', headers: op('seg-v2-items') } },
  { name: 'Segment: the Original version answers without identifier', request: { path: '/segapi/items' }, status: 200, backend: { path: '/seg/orig/items', headers: op('seg-orig-items') } },
  { name: 'Segment: unknown version segment is part of the Original path: 404', request: { path: '/segapi/v3/items' }, status: 404, body: notFound },
  { name: 'Segment set without Original: no identifier is 404', request: { path: '/novapi/items' }, status: 404, body: notFound },
  { name: 'Segment set without Original: v1 answers', request: { path: '/novapi/v1/items' }, status: 200, backend: { path: '/nov/v1/items', headers: op('nov-v1-items') } },
  {
    name: 'Query: ?api-version=2024-01-01 reaches that version (the query is forwarded)',
    request: { path: '/qapi/items?api-version=2024-01-01' },
    status: 200,
    backend: { path: '/q/2024/items', query: { 'api-version': ['2024-01-01'] }, headers: op('q-2024-items') },
  },
  { name: 'Query: the Original version answers without identifier', request: { path: '/qapi/items' }, status: 200, backend: { path: '/q/orig/items', headers: op('q-orig-items') } },
  { name: 'Query: unknown version id is 404', request: { path: '/qapi/items?api-version=1999-01-01' }, status: 404, body: notFound },
  { name: 'Query: parameter name compared exactly (API-VERSION is not the version)', request: { path: '/qapi/items?API-VERSION=2024-01-01' }, status: 200, backend: { path: '/q/orig/items', query: { 'API-VERSION': ['2024-01-01'] }, headers: op('q-orig-items') } },
  { name: 'Query: an empty ?api-version= counts as no identifier (Original)', request: { path: '/qapi/items?api-version=' }, status: 200, backend: { path: '/q/orig/items', query: { 'api-version': [''] }, headers: op('q-orig-items') } },
  { name: 'Header: X-Version: h1 reaches version h1', request: { path: '/hapi/items', headers: { 'X-Version': 'h1' } }, status: 200, backend: { path: '/h/1/items', headers: op('h-1-items') } },
  { name: 'Header: the Original version answers without the header', request: { path: '/hapi/items' }, status: 200, backend: { path: '/h/orig/items', headers: op('h-orig-items') } },
  { name: 'Header: unknown version id is 404', request: { path: '/hapi/items', headers: { 'X-Version': 'h9' } }, status: 404, body: notFound },

  // §1.2 revisions.
  { name: 'revision: the current revision answers by default', request: { path: '/revapi/items' }, status: 200, backend: { path: '/rev/1/items', headers: op('rev1-items') } },
  { name: 'revision: ;rev=2 reaches the online, non-current revision', request: { path: '/revapi;rev=2/items' }, status: 200, backend: { path: '/rev/2/items', headers: op('rev2-items') } },
  { name: 'revision: ;rev=1 names the current revision explicitly', request: { path: '/revapi;rev=1/items' }, status: 200, backend: { path: '/rev/1/items', headers: op('rev1-items') } },
  // isOnline is read-only in Azure's API (the folder's `false` is not stored): every revision answers at ;rev=N.
  { name: 'revision: revision 3 answers at ;rev=3 although its folder says isOnline false (read-only, as in Azure)', request: { path: '/revapi;rev=3/items' }, status: 200, backend: { path: '/rev/3/items', headers: op('rev3-items') } },
  { name: 'revision: unknown revision 9 is 404', request: { path: '/revapi;rev=9/items' }, status: 404, body: notFound },

  // §1.3 operations and precedence literal > parameter > wildcard.
  { name: 'literal segment beats {id} and /*', request: { path: '/ops/items/new' }, status: 200, backend: { path: '/ops/items/new', headers: op('item-new') } },
  { name: '{id} beats /*; MatchedParameters id fills rewrite-uri', request: { path: '/ops/items/42' }, status: 200, backend: { path: '/ops/seen/42', headers: op('item-by-id') } },
  { name: '{id} value is decoded, then encoded again for the backend path', request: { path: '/ops/items/Hello%20World' }, status: 200, backend: { path: '/ops/seen/Hello%20World', headers: op('item-by-id') } },
  { name: '/* takes several segments (parameter *)', request: { path: '/ops/items/a/b/c' }, status: 200, backend: { path: '/ops/wild/a/b/c', headers: op('item-wildcard') } },
  { name: '{*rest} takes several segments, slashes kept', request: { path: '/ops/files/a/b/c.txt' }, status: 200, backend: { path: '/ops/files-seen/a/b/c.txt', headers: op('file-greedy') } },
  { name: '{name}.json segment pattern', request: { path: '/ops/reports/sales.json' }, status: 200, backend: { path: '/ops/report/sales', headers: op('report-json') } },
  { name: '{name}.json does not match another extension', request: { path: '/ops/reports/sales.xml' }, status: 404, body: notFound },
  {
    name: 'template query parameter present: matched, its value in MatchedParameters; others forwarded',
    request: { path: '/ops/search?q=shoes&page=2' },
    status: 200,
    backend: { path: '/ops/found/shoes', query: { page: ['2'] }, headers: op('search') },
  },
  { name: 'template query parameter with an empty value counts as present', request: { path: '/ops/search?q=' }, status: 200, backend: { path: '/ops/found/', headers: op('search') } },
  { name: '/* also matches zero remaining segments', request: { path: '/ops/items' }, status: 200, backend: { path: '/ops/wild/', headers: op('item-wildcard') } },
  { name: '{*rest} also matches zero remaining segments', request: { path: '/ops/files' }, status: 200, backend: { path: '/ops/files-seen/', headers: op('file-greedy') } },
  { name: 'one trailing slash is ignored for matching and kept for the backend', request: { path: '/orders/list/' }, status: 200, backend: { path: '/orders-svc/list/', headers: op('order-list') } },
  { name: 'template query parameter missing: 404', request: { path: '/ops/search?page=2' }, status: 404, body: notFound },

  { name: '{id} beats {*rest} on the same path', request: { path: '/contract/files/7' }, status: 200, backend: { path: '/contract-svc/one/7', headers: op('files-one') } },
  { name: '{*rest} takes what {id} cannot', request: { path: '/contract/files/7/8' }, status: 200, backend: { path: '/contract-svc/all/7/8', headers: op('files-all') } },
  { name: 'literal query template ?mode=fast matches only that value', request: { path: '/contract/run?mode=fast' }, status: 200, backend: { path: '/contract-svc/run', query: { mode: ['fast'] }, headers: op('run-fast') } },
  { name: 'another mode value falls to the template without query', request: { path: '/contract/run?mode=slow' }, status: 200, backend: { path: '/contract-svc/run', query: { mode: ['slow'] }, headers: op('run-any') } },

  // §1.3 methods: wrong method on an existing path is 404, not 405.
  { name: 'POST on a GET-only path: 404', request: { method: 'POST', path: '/orders/list', body: '{}' }, status: 404, body: notFound },
  { name: 'PUT on a path GET answers (incl. wildcard): 404', request: { method: 'PUT', path: '/ops/items/42', body: 'x' }, status: 404, body: notFound },
  { name: 'DELETE on a GET-only path: 404', request: { method: 'DELETE', path: '/ops/items/new' }, status: 404, body: notFound },
  { name: 'HEAD does not fall back to GET: 404 (no body on HEAD)', request: { method: 'HEAD', path: '/orders/list' }, status: 404 },

  // §1.2.5 protocols.
  { name: 'scheme http not in protocols [https]: 404', request: { path: '/secure/x' }, status: 404, body: notFound },

  // §1.3 backend URL = serviceUrl + rest of path + query (the reference's example).
  {
    name: 'reference example: serviceUrl with base path; subscription-key query forwarded',
    request: { path: `/api/partners/15?version=2013-05&subscription-key=${partnersKey}` },
    status: 200,
    backend: { path: '/api/10.4/partners/15', query: { version: ['2013-05'], 'subscription-key': [partnersKey] }, headers: op('partner') },
  },
  {
    name: 'repeated query parameters reach the backend in order',
    request: { path: '/orders/15?a=1&b=2&a=3' },
    status: 200,
    backend: { path: '/orders-svc/15', query: { a: ['1', '3'], b: ['2'] }, headers: op('order-by-id') },
  },
];

describeGatewayTable('gateway routing (reference §1.2–1.3), real process and backend', rows, configFolder);
