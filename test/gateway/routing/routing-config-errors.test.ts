// Configurations the router refuses to build (so a bad snapshot never replaces the last good one).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RouteTable, RoutingConfigError } from '../../../src/gateway/routing/index.js';
import type { Api, ApiVersionSet } from '../../../src/model/resources.js';
import { api, op, versionSet } from './routing-fixtures.js';

const cases: Array<{ name: string; apis: Api[]; sets?: ApiVersionSet[]; message: RegExp }> = [
  {
    name: 'two unrelated APIs on one path',
    apis: [api('a', 'same', []), api('b', '/same/', [])],
    message: /APIs 'a', 'b' share the path '\/same' but are not versions of one version set/,
  },
  {
    name: 'paths differing only in case',
    apis: [api('a', 'Same', []), api('b', 'same', [])],
    message: /share the path/,
  },
  {
    name: 'an unversioned API on a version set path',
    apis: [api('a', 'p', []), api('b', 'p', [], { apiVersionSetId: 's', apiVersion: 'v1' })],
    sets: [versionSet('s', 'Segment')],
    message: /share the path '\/p'/,
  },
  {
    name: 'versions of different sets on one path',
    apis: [
      api('a', 'p', [], { apiVersionSetId: 's1', apiVersion: 'v1' }),
      api('b', 'p', [], { apiVersionSetId: 's2', apiVersion: 'v2' }),
    ],
    sets: [versionSet('s1', 'Segment'), versionSet('s2', 'Segment')],
    message: /belong to different version sets/,
  },
  {
    name: 'an unknown version set',
    apis: [api('a', 'p', [], { apiVersionSetId: 'missing', apiVersion: 'v1' })],
    message: /unknown version set 'missing'/,
  },
  {
    name: 'a version id twice (case-insensitively)',
    apis: [
      api('a', 'p', [], { apiVersionSetId: 's', apiVersion: 'v1' }),
      api('b', 'p', [], { apiVersionSetId: 's', apiVersion: 'V1' }),
    ],
    sets: [versionSet('s', 'Query')],
    message: /version 'V1' twice/,
  },
  {
    name: 'two Original versions',
    apis: [api('a', 'p', [], { apiVersionSetId: 's' }), api('b', 'p', [], { apiVersionSetId: 's', apiVersion: '' })],
    sets: [versionSet('s', 'Header')],
    message: /two Original versions/,
  },
  {
    name: 'two current revisions',
    apis: [api('a', 'p', []), api('a;rev=2', 'p', [], { isCurrent: true })],
    message: /more than one current revision/,
  },
  {
    name: 'a revision number twice',
    apis: [api('a', 'p', []), api('a;rev=1', 'p', [])],
    message: /revision '1' twice/,
  },
  {
    name: 'a greedy parameter before the end',
    apis: [api('a', 'p', [op('GET /{*rest}/tail', 'bad')])],
    message: /operation 'bad': '\{\*rest\}' must be the last segment/,
  },
  {
    name: 'a repeated parameter name',
    apis: [api('a', 'p', [op('GET /{id}/x/{id}', 'bad')])],
    message: /repeated template parameter '\{id\}'/,
  },
  {
    name: 'a repeated parameter between path and query',
    apis: [api('a', 'p', [op('GET /{id}?id={id}', 'bad')])],
    message: /repeated template parameter/,
  },
  {
    name: 'an unbalanced brace',
    apis: [api('a', 'p', [op('GET /x{id/y', 'bad')])],
    message: /unbalanced/,
  },
];

describe('route table configuration errors', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => RouteTable.build(c.apis, c.sets ?? []),
        (err: unknown) => err instanceof RoutingConfigError && c.message.test(err.message),
      );
    });
  }

  it('accepts versions of one set sharing a path, each with revisions', () => {
    const table = RouteTable.build(
      [
        api('v1', 'p', [], { apiVersionSetId: 's', apiVersion: 'v1' }),
        api('v1;rev=2', 'p', [], { apiVersionSetId: 's', apiVersion: 'v1' }),
        api('v2', 'p', [], { apiVersionSetId: 's', apiVersion: 'v2' }),
      ],
      [versionSet('s', 'Segment')],
    );
    assert.equal(table.size, 3);
  });
});
