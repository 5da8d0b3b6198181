import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JArray } from '../../src/expressions/runtime/json.js';
import { expectCompileError, runPolicies, useEchoBackend, type HarnessSetup } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const sdl = `
type Query { missions: [Mission] user(id: ID!): User }
type Mutation { deleteUser(id: ID!): Boolean }
type Mission { name: String crew: [User] secret: String }
type User { id: ID name: String friends: [User] }
`;
const graphqlApi = { type: 'graphql', schemas: [{ name: 'graphql', contentType: 'application/vnd.ms-azure-apim.graphql.schema', document: { value: sdl } }] };
const inbound = (xml: string) => `<policies><inbound>${xml}</inbound></policies>`;
const policy = (attributes = 'max-size="102400" max-depth="4"', rules = '') =>
  inbound(`<validate-graphql-request error-variable-name="gqlErrors" ${attributes}>${rules ? `<authorize>${rules}</authorize>` : ''}</validate-graphql-request>`);
const setup = (doc: string): HarnessSetup => ({ serviceUrl: backend.url, api: doc, apiModel: graphqlApi });
const ask = (query: string, extra: Record<string, unknown> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, ...extra }) });

/** What the backend received as the query. */
const forwarded = (body: string) => (JSON.parse(JSON.parse(body).body as string) as { query: string }).query;

describe('validate-graphql-request', () => {
  it('forwards a valid query unchanged', async () => {
    const r = await runPolicies(setup(policy()), ask('{ missions { name crew { name } } }'));
    assert.equal(r.status, 200);
    assert.equal(forwarded(r.body), '{ missions { name crew { name } } }');
    assert.ok(r.gw.variables.get('GraphQLErrors') instanceof JArray);
  });

  it('answers a query the schema refuses with an errors block and no data, and records it', async () => {
    const r = await runPolicies(setup(policy()), ask('{ missions { pilot } }'));
    assert.equal(r.status, 400);
    const body = r.json<{ errors: Array<{ message: string; locations: unknown; extensions: { code: string } }>; data?: unknown }>();
    assert.equal(body.data, undefined);
    assert.equal(body.errors[0]?.message, 'Cannot query field "pilot" on type "Mission".');
    assert.deepEqual(body.errors[0]?.locations, [{ line: 1, column: 14 }]);
    assert.equal(body.errors[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    const recorded = r.gw.variables.get('gqlErrors');
    assert.ok(recorded instanceof JArray && recorded.items.length === 1);
    assert.equal(r.gw.variables.get('GraphQLErrors'), recorded);
    const syntax = await runPolicies(setup(policy()), ask('{ missions { '));
    assert.equal(syntax.json<{ errors: Array<{ extensions: { code: string } }> }>().errors[0]?.extensions.code, 'GRAPHQL_PARSE_FAILED');
  });

  it('refuses a query deeper than max-depth, through fragments too; default depth 6', async () => {
    const deep = '{ user(id: 1) { friends { friends { friends { name } } } } }';
    const r = await runPolicies(setup(policy()), ask(deep));
    assert.equal(r.status, 400);
    assert.equal(r.json<{ errors: Array<{ message: string }> }>().errors[0]?.message, 'The query has a depth of 5 and it exceeds the maximum depth of 4.');
    const viaFragment = await runPolicies(setup(policy()), ask('{ user(id: 1) { ...F } } fragment F on User { friends { friends { friends { name } } } }'));
    assert.equal(viaFragment.status, 400);
    assert.equal((await runPolicies(setup(policy('max-size="102400"')), ask(deep))).status, 200);
    const seven = '{ user(id: 1) { friends { friends { friends { friends { friends { name } } } } } } }';
    assert.equal((await runPolicies(setup(policy('max-size="102400"')), ask(seven))).status, 400);
  });

  it('refuses a request over max-size', async () => {
    const r = await runPolicies(setup(policy('max-size="20"')), ask('{ missions { name } }'));
    assert.equal(r.status, 400);
    assert.match(r.json<{ errors: Array<{ message: string }> }>().errors[0]!.message, /^The request is \d+ bytes long and it exceeds the limit of 20 bytes\.$/);
  });

  it('rejects introspection with a /__* rule and a mutation field by path', async () => {
    const rules = '<rule path="/__*" action="reject" /><rule path="/Mutation/deleteUser" action="@(context.Request.IpAddress != &quot;198.51.100.1&quot; ? &quot;reject&quot; : &quot;allow&quot;)" />';
    const intro = await runPolicies(setup(policy(undefined, rules)), ask('{ __schema { types { name } } }'));
    assert.equal(intro.status, 400);
    assert.equal(intro.json<{ errors: Array<{ message: string }> }>().errors[0]?.message, "Access to the field 'Query.__schema' is not allowed.");
    const mutation = await runPolicies(setup(policy(undefined, rules)), ask('mutation { deleteUser(id: 1) }'));
    assert.equal(mutation.status, 400);
    const trusted = await runPolicies(setup(policy(undefined, rules)), { ...ask('mutation { deleteUser(id: 1) }'), ip: '198.51.100.1' });
    assert.equal(trusted.status, 200);
  });

  it('removes a field with remove, forwards the rest, and records a field error', async () => {
    const rules = '<rule path="/Mission/secret" action="@(context.Request.Headers.Count &gt; 2 ? &quot;remove&quot; : &quot;allow&quot;)" />';
    const r = await runPolicies(setup(policy(undefined, rules)), { ...ask('{ missions { name secret } }'), headers: { 'content-type': 'application/json', 'x-a': '1', 'x-b': '2' } });
    assert.equal(r.status, 200);
    assert.equal(forwarded(r.body).replace(/\s+/g, ' ').trim(), '{ missions { name } }');
    const recorded = r.gw.variables.get('gqlErrors') as JArray;
    assert.equal(recorded.items.length, 1);
    const allowed = await runPolicies(setup(policy(undefined, rules)), ask('{ missions { name secret } }'));
    assert.equal(forwarded(allowed.body), '{ missions { name secret } }', 'the expression allows with few headers');
    const onlySecret = await runPolicies(setup(policy(undefined, '<rule path="/Mission/secret" action="remove" />')), ask('{ missions { secret } }'));
    assert.equal(onlySecret.status, 400, 'nothing left to ask');
  });

  it('lets ignore fall through to the next rule, and the first deciding rule win', async () => {
    const rules = '<rule path="/Query/*" action="ignore" /><rule path="/missions" action="reject" /><rule path="/Query/user" action="allow" />';
    assert.equal((await runPolicies(setup(policy(undefined, rules)), ask('{ missions { name } }'))).status, 400);
    assert.equal((await runPolicies(setup(policy(undefined, rules)), ask('{ user(id: 1) { name } }'))).status, 200);
  });

  it('refuses a field repeated past the bound before the quadratic validation runs', async () => {
    const r = await runPolicies(setup(policy()), ask(`{ ${'missions { name } '.repeat(1200)}}`));
    assert.equal(r.status, 400);
    assert.equal(r.json<{ errors: Array<{ message: string }> }>().errors[0]?.message, "The field 'missions' is selected more than 64 times in one selection set.");
    assert.equal((await runPolicies(setup(policy()), ask(`{ ${'missions { name } '.repeat(64)}}`))).status, 200);
    const tooLong = await runPolicies(setup(policy()), ask(`{ missions { ${'name '.repeat(6000)}} }`));
    assert.match(tooLong.json<{ errors: Array<{ message: string }> }>().errors[0]!.message, /Document contains more tha[nt] 5000 tokens/);
  });

  it('reads a GET query', async () => {
    const r = await runPolicies(setup(policy()), { url: `http://gateway.test/api?query=${encodeURIComponent('{ missions { nope } }')}` });
    assert.equal(r.status, 400);
  });

  it('refuses bad attributes and children at save time', () => {
    assert.match(expectCompileError(inbound('<validate-graphql-request />')).message, /required attribute 'max-size'/);
    assert.match(expectCompileError(policy('max-size="200000"')).message, /max-size/);
    assert.match(expectCompileError(policy(undefined, '<rule path="Query.user" action="reject" />')).message, /The rule path 'Query.user' must be/);
    assert.match(expectCompileError(policy(undefined, '<rule path="/Query/user" action="deny" />')).message, /'deny' of attribute 'action' is not one of: allow, remove, reject, ignore/);
    assert.match(expectCompileError(policy(undefined, '<allow />')).message, /The element 'allow' is not allowed in 'authorize'/);
    assert.match(expectCompileError(`<policies><outbound><validate-graphql-request max-size="10" /></outbound></policies>`).message, /not allowed in the 'outbound' section/);
  });
});
