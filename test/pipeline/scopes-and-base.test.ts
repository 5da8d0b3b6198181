/**
 * `<base/>` across global → product → API → operation (reference §2.2): where it sits decides
 * the order of effects, omitting it stops inheritance, a missing scope inherits everything.
 * Inbound effects are observed as request headers echoed by the real backend, outbound ones as
 * response headers, each scope appending its name to one header.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Product } from '../../src/model/resources.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, type HarnessSetup, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const product: Product = { name: 'starter', displayName: 'Starter', subscriptionRequired: false, state: 'published' } as Product;

/** A set-header that appends `name` to X-Trace. */
const mark = (name: string) => `<set-header name="X-Trace" exists-action="append"><value>${name}</value></set-header>`;

/** A document whose inbound and outbound both mark the scope, with `<base/>` placed by `where`. */
function scopeDoc(name: string, where: 'before' | 'after' | 'none', sections: readonly string[] = ['inbound', 'outbound']): string {
  const body = where === 'before' ? `<base />${mark(name)}` : where === 'after' ? `${mark(name)}<base />` : mark(name);
  return `<policies>${sections.map((s) => `<${s}>${body}</${s}>`).join('')}</policies>`;
}

/** The X-Trace values the backend received (one comma-joined line) and the caller gets. */
async function trace(setup: HarnessSetup): Promise<{ inbound: string[]; outbound: string[] }> {
  const r = await runPolicies({ productModel: product, serviceUrl: backend.url, ...setup });
  assert.equal(r.status, 200, r.body);
  const echoed = r.json<{ headers: Record<string, string | undefined> }>();
  return { inbound: splitList(echoed.headers['x-trace']), outbound: r.headers.getAll('X-Trace') };
}

function splitList(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((v) => v.trim());
}

describe('<base/> across scopes', () => {
  it('runs parent scopes first when every scope starts with <base/>', async () => {
    const t = await trace({
      global: scopeDoc('global', 'before'),
      product: scopeDoc('product', 'before'),
      api: scopeDoc('api', 'before'),
      operation: scopeDoc('operation', 'before'),
    });
    assert.deepEqual(t.inbound, ['global', 'product', 'api', 'operation']);
    assert.deepEqual(t.outbound, ['global', 'product', 'api', 'operation']);
  });

  it('runs the narrow scope first when <base/> comes last', async () => {
    const t = await trace({
      global: scopeDoc('global', 'before'),
      product: scopeDoc('product', 'after'),
      api: scopeDoc('api', 'after'),
      operation: scopeDoc('operation', 'after'),
    });
    assert.deepEqual(t.inbound, ['operation', 'api', 'product', 'global']);
  });

  it('places the parent exactly where <base/> sits', async () => {
    const t = await trace({
      global: scopeDoc('global', 'before'),
      api: `<policies><inbound>${mark('api-1')}<base />${mark('api-2')}</inbound></policies>`,
      operation: `<policies><inbound>${mark('op-1')}<base />${mark('op-2')}</inbound></policies>`,
    });
    assert.deepEqual(t.inbound, ['op-1', 'api-1', 'global', 'api-2', 'op-2']);
  });

  it('treats missing scopes as <base/> in every section', async () => {
    const t = await trace({ global: scopeDoc('global', 'before'), operation: scopeDoc('operation', 'after') });
    assert.deepEqual(t.inbound, ['operation', 'global']);
    assert.deepEqual(t.outbound, ['operation', 'global']);
    const onlyProduct = await trace({ product: scopeDoc('product', 'before') });
    assert.deepEqual(onlyProduct.inbound, ['product']);
  });

  it('treats a missing section of a present document as <base/>', async () => {
    const t = await trace({
      global: scopeDoc('global', 'before'),
      api: `<policies><inbound><base />${mark('api')}</inbound></policies>`,
    });
    assert.deepEqual(t.inbound, ['global', 'api']);
    assert.deepEqual(t.outbound, ['global']);
  });

  it('stops inheritance where <base/> is omitted, per section', async () => {
    const t = await trace({
      global: scopeDoc('global', 'before'),
      product: scopeDoc('product', 'before'),
      api: `<policies><inbound>${mark('api')}</inbound><outbound><base />${mark('api')}</outbound></policies>`,
      operation: scopeDoc('operation', 'before'),
    });
    assert.deepEqual(t.inbound, ['api', 'operation']);
    assert.deepEqual(t.outbound, ['global', 'product', 'api', 'operation']);
  });

  it('gives <base/> no effect at global', async () => {
    const t = await trace({ global: `<policies><inbound><base />${mark('global')}</inbound></policies>` });
    assert.deepEqual(t.inbound, ['global']);
  });

  it('forwards by default when no scope has a backend section, and not when one empties it', async () => {
    const t = await trace({ api: `<policies><inbound>${mark('api')}</inbound></policies>` });
    assert.deepEqual(t.inbound, ['api']);
    const r = await runPolicies({ serviceUrl: backend.url, api: '<policies><backend /></policies>' });
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
  });

  it('inherits the global backend section through <base/>', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url + '/svc',
      global: '<policies><backend><forward-request timeout="30" /></backend></policies>',
      api: '<policies><backend><base /></backend></policies>',
      operation: '<policies><backend><base /></backend></policies>',
    });
    assert.equal(r.gw.forwarded, true);
    assert.equal(r.json<{ path: string }>().path, '/svc/op');
  });

  it('rejects <base/> twice in a section, with attributes, or nested in a policy', () => {
    const cases: Array<[string, RegExp]> = [
      ['<policies><inbound><base /><base /></inbound></policies>', /may appear only once/],
      ['<policies><inbound><base x="1" /></inbound></policies>', /takes no attributes or children/],
      ['<policies><inbound><choose><when condition="true"><base /></when></choose></inbound></policies>', /only allowed directly in a section/],
    ];
    for (const [xml, reason] of cases) {
      assert.throws(() => compileOnly(xml), (err: unknown) => err instanceof PolicyCompileError && reason.test(err.reason), xml);
    }
  });
});
