// Operation selection inside an API (reference §1.3): literal and parameter segments, mixed
// segments, query templates, wildcards, precedence, methods, trailing slashes and encoding.
import { describe, it } from 'node:test';
import { RouteTable } from '../../../src/gateway/routing/index.js';
import { api, check, op, type Row } from './routing-fixtures.js';

const table = RouteTable.build(
  [
    api('main', 'api', [
      op('GET /items', 'list'),
      op('POST /items', 'create'),
      op('GET /items/{id}', 'get'),
      op('GET /items/new', 'new'),
      op('GET /items/{id}/parts/{part}', 'part'),
      op('GET /items/{id}/parts/special', 'special-part'),
      op('GET /files/{*path}', 'files'),
      op('GET /files/readme', 'readme'),
      op('GET /docs/{name}.json', 'doc-json'),
      op('GET /docs/{name}', 'doc'),
      op('GET /pair/{a}-{b}', 'pair'),
      op('GET /add?a={a}&b={b}', 'add'),
      op('GET /add', 'add-plain'),
      op('GET /search?mode=fast&q={q}', 'search-fast'),
      op('GET /trail/', 'trail'),
      op('* /any/{thing}', 'any-method'),
      op('GET /any/{thing}', 'any-get-param'),
      op('GET /any/special', 'any-get'),
      op('get /lower', 'lower-method'),
      op('GET /*', 'catch-all'),
    ]),
    api('prec', 'prec', [
      op('GET /{p}/b/c', 'pbc'),
      op('GET /x/{q}/{r}', 'xqr'),
      op('GET /w/{*rest}', 'w-rest'),
      op('GET /{a}/{b}', 'ab'),
      op('GET /{*all}', 'all'),
      op('GET /dup/{first}/z', 'dup1'),
      op('GET /dup/{second}/z', 'dup2'),
      op('GET /lit/{a}/c', 'lit-a-c'),
      op('GET /{a}/lit2/c', 'a-lit2-c'),
    ]),
    api('home', '', [op('GET /', 'home'), op('GET /status', 'status')]),
  ],
  [],
);

const rows: Row[] = [
  { req: 'GET /api/items', expect: { api: 'main', op: 'list', params: {}, remaining: '/items' } },
  { req: 'GET /api/items/', expect: { api: 'main', op: 'list', remaining: '/items/' }, note: 'trailing slash is ignored for matching, kept for the backend' },
  { req: 'POST /api/items', expect: { api: 'main', op: 'create' } },
  { req: 'PUT /api/items', expect: { miss: 'operation-not-found' }, note: 'path exists for other methods' },
  { req: 'GET /api/items/42', expect: { api: 'main', op: 'get', params: { id: '42' }, remaining: '/items/42' } },
  { req: 'GET /api/items/new', expect: { api: 'main', op: 'new', params: {} }, note: 'literal beats parameter' },
  { req: 'GET /api/Items/NEW', expect: { api: 'main', op: 'new' }, note: 'literal segments compare case-insensitively' },
  { req: 'GET /api/items/Hello%20World', expect: { api: 'main', op: 'get', params: { id: 'Hello World' }, remaining: '/items/Hello%20World' }, note: 'values decoded, remaining path raw' },
  { req: 'GET /api/items/a%2Fb', expect: { api: 'main', op: 'get', params: { id: 'a/b' }, remaining: '/items/a%2Fb' }, note: 'an encoded slash stays inside the segment' },
  { req: 'GET /api/items/%E2%82%AC', expect: { api: 'main', op: 'get', params: { id: '€' } } },
  { req: 'GET /api/items/%zz', expect: { api: 'main', op: 'get', params: { id: '%zz' } }, note: 'malformed escape kept as received' },
  { req: 'GET /api/items/42/parts/7', expect: { api: 'main', op: 'part', params: { id: '42', part: '7' } } },
  { req: 'GET /api/items/42/parts/special', expect: { api: 'main', op: 'special-part', params: { id: '42' } } },
  { req: 'GET /api/items//parts/7', expect: { api: 'main', op: 'catch-all', params: { '*': 'items//parts/7' } }, note: 'a parameter needs a non-empty segment' },
  { req: 'GET /api/files/a/b/c.txt', expect: { api: 'main', op: 'files', params: { path: 'a/b/c.txt' }, remaining: '/files/a/b/c.txt' } },
  { req: 'GET /api/files/a%20b/c', expect: { api: 'main', op: 'files', params: { path: 'a b/c' } } },
  { req: 'GET /api/files/dir/', expect: { api: 'main', op: 'files', params: { path: 'dir' }, remaining: '/files/dir/' } },
  { req: 'GET /api/files/readme', expect: { api: 'main', op: 'readme' }, note: 'literal beats greedy' },
  { req: 'GET /api/files', expect: { api: 'main', op: 'files', params: { path: '' } }, note: 'greedy matches zero segments' },
  { req: 'GET /api/docs/guide.json', expect: { api: 'main', op: 'doc-json', params: { name: 'guide' } }, note: 'mixed segment beats plain parameter' },
  { req: 'GET /api/docs/guide.JSON', expect: { api: 'main', op: 'doc-json', params: { name: 'guide' } } },
  { req: 'GET /api/docs/guide', expect: { api: 'main', op: 'doc', params: { name: 'guide' } } },
  { req: 'GET /api/pair/left-right', expect: { api: 'main', op: 'pair', params: { a: 'left', b: 'right' } } },
  { req: 'GET /api/add?a=1&b=2', expect: { api: 'main', op: 'add', params: { a: '1', b: '2' }, remaining: '/add' } },
  { req: 'GET /api/add?b=2&a=x%20y&c=3', expect: { api: 'main', op: 'add', params: { a: 'x y', b: '2' } }, note: 'order-free, extra query ignored' },
  { req: 'GET /api/add?a=1&b=', expect: { api: 'main', op: 'add', params: { a: '1', b: '' } }, note: 'present with an empty value' },
  { req: 'GET /api/add?a=1', expect: { api: 'main', op: 'add-plain', params: {} }, note: 'template query parameters must be present' },
  { req: 'GET /api/add', expect: { api: 'main', op: 'add-plain' } },
  { req: 'GET /api/search?q=cats&mode=fast', expect: { api: 'main', op: 'search-fast', params: { q: 'cats' } } },
  { req: 'GET /api/search?q=cats&mode=slow', expect: { api: 'main', op: 'catch-all', params: { '*': 'search' } }, note: 'literal query value must equal' },
  { req: 'GET /api/trail', expect: { api: 'main', op: 'trail', remaining: '/trail' }, note: 'template trailing slash ignored' },
  { req: 'GET /api/trail/', expect: { api: 'main', op: 'trail', remaining: '/trail/' } },
  { req: 'DELETE /api/any/thing1', expect: { api: 'main', op: 'any-method', params: { thing: 'thing1' } }, note: 'method * answers any method' },
  { req: 'GET /api/any/thing1', expect: { api: 'main', op: 'any-get-param' }, note: 'exact method beats * at equal precedence' },
  { req: 'GET /api/any/special', expect: { api: 'main', op: 'any-get' } },
  { req: 'PATCH /api/any/special', expect: { api: 'main', op: 'any-method', params: { thing: 'special' } } },
  { req: 'GET /api/lower', expect: { api: 'main', op: 'lower-method' }, note: 'operation methods are upper-cased' },
  { req: 'GET /api/unknown/deep/path', expect: { api: 'main', op: 'catch-all', params: { '*': 'unknown/deep/path' }, remaining: '/unknown/deep/path' } },
  { req: 'GET /api/items/42/unknown', expect: { api: 'main', op: 'catch-all', params: { '*': 'items/42/unknown' } } },
  { req: 'GET /api', expect: { api: 'main', op: 'catch-all', params: { '*': '' }, remaining: '' } },
  { req: 'HEAD /api/items', expect: { miss: 'operation-not-found' }, note: 'HEAD is its own method' },
  // Precedence
  { req: 'GET /prec/x/b/c', expect: { api: 'prec', op: 'pbc', params: { p: 'x' } }, note: 'more literal segments first' },
  { req: 'GET /prec/x/y/z', expect: { api: 'prec', op: 'xqr', params: { q: 'y', r: 'z' } } },
  { req: 'GET /prec/w/z', expect: { api: 'prec', op: 'w-rest', params: { rest: 'z' } }, note: 'a literal before a wildcard beats bare parameters' },
  { req: 'GET /prec/q/r', expect: { api: 'prec', op: 'ab', params: { a: 'q', b: 'r' } }, note: 'parameter beats wildcard at equal literals' },
  { req: 'GET /prec/q/r/s/t', expect: { api: 'prec', op: 'all', params: { all: 'q/r/s/t' } } },
  { req: 'GET /prec/dup/1/z', expect: { api: 'prec', op: 'dup1', params: { first: '1' } }, note: 'same shape: declaration order' },
  { req: 'GET /prec/lit/lit2/c', expect: { api: 'prec', op: 'lit-a-c', params: { a: 'lit2' } }, note: 'equal literal count: the earlier literal wins' },
  // Root API operations
  { req: 'GET /', expect: { api: 'home', op: 'home', remaining: '/' } },
  { req: 'GET /status', expect: { api: 'home', op: 'status', remaining: '/status' } },
  { req: 'GET /STATUS/', expect: { api: 'home', op: 'status', remaining: '/STATUS/' } },
  { req: 'GET /nothing', expect: { miss: 'operation-not-found' } },
];

describe('operation matching', () => {
  for (const row of rows) {
    it(`${row.req as string}${row.note ? ` — ${row.note}` : ''}`, () => {
      check(table, row);
    });
  }
});
