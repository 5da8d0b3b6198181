/**
 * Fuzzing the policy document compiler (XML reader, scope rules, every policy's attribute
 * checks): whatever the text, compiling either succeeds or fails with a PolicyCompileError that
 * names an element and a line and column inside the document; nothing else is thrown, and the
 * process keeps no state between documents.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly } from '../helpers/policy-harness.js';
import { checkProperty, mutatedText } from './fuzz-settings.js';

const documents = [
  '<policies><inbound><base /><set-header name="x-a" exists-action="override"><value>1</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>',
  '<policies><inbound><rate-limit-by-key calls="10" renewal-period="60" counter-key="@(context.Request.IpAddress)" increment-condition="@(context.Response.StatusCode == 200)" /></inbound></policies>',
  '<policies><inbound><choose><when condition="@(context.Request.Method == &quot;GET&quot;)"><set-variable name="v" value="@(1 + 2)" /></when><otherwise><return-response><set-status code="404" reason="Not here" /></return-response></otherwise></choose></inbound></policies>',
  '<policies><inbound><check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="Not authorized" ignore-case="false"><value>Basic x</value></check-header><ip-filter action="allow"><address-range from="10.0.0.0" to="10.0.0.255" /></ip-filter></inbound></policies>',
  '<policies><inbound><cors allow-credentials="true"><allowed-origins><origin>https://a.example</origin></allowed-origins><allowed-methods><method>GET</method></allowed-methods><allowed-headers><header>*</header></allowed-headers></cors><rewrite-uri template="/items/{id}" copy-unmatched-params="false" /></inbound></policies>',
  '<policies><inbound><validate-jwt header-name="Authorization" failed-validation-httpcode="401"><issuer-signing-keys><key>AAECAwQFBgcICQoLDA0ODw==</key></issuer-signing-keys><audiences><audience>api</audience></audiences></validate-jwt></inbound><on-error><set-header name="x-err" exists-action="append"><value>@(context.LastError.Reason)</value></set-header></on-error></policies>',
  '<policies><inbound><quota-by-key calls="100" bandwidth="4000" renewal-period="3600" counter-key="k" /><mock-response status-code="200" content-type="application/json" /></inbound></policies>',
  '<!-- c --><policies><inbound><set-query-parameter name="q" exists-action="delete" /><set-method>POST</set-method><set-backend-service base-url="http://127.0.0.1:9/x" /></inbound><backend><forward-request timeout="5" /></backend></policies>',
];
const xmlAlphabet = '<>/="\'&;!-?[]{}()@ \n\tabcxyz0123456789:.%#';
const policyNames = ['set-header', 'set-variable', 'choose', 'when', 'otherwise', 'return-response', 'set-status', 'rate-limit', 'quota', 'cors', 'ip-filter', 'base', 'forward-request', 'rewrite-uri', 'include-fragment', 'unknown-policy'];
const sections = ['inbound', 'backend', 'outbound', 'on-error', 'nowhere'];

/** Compiles at a scope; asserts that any failure is a well-formed PolicyCompileError. */
function compilesOrExplains(xml: string, scope: 'global' | 'product' | 'api' | 'operation' = 'api'): void {
  try {
    compileOnly(xml, scope);
  } catch (err) {
    if (!(err instanceof PolicyCompileError)) throw new Error(`not a PolicyCompileError for ${JSON.stringify(xml)}: ${(err as Error)?.stack ?? err}`);
    assert.ok(Number.isInteger(err.line) && err.line >= 1, `line ${err.line} for ${JSON.stringify(xml)}`);
    assert.ok(Number.isInteger(err.column) && err.column >= 1, `column ${err.column} for ${JSON.stringify(xml)}`);
    assert.ok(err.line <= xml.split('\n').length + 1, `line ${err.line} past the end of ${JSON.stringify(xml)}`);
    assert.ok(err.element.length > 0 && err.reason.length > 0, `element and reason for ${JSON.stringify(xml)}`);
  }
}

/** Random element trees of real and unknown policy names, attributes and text. */
const generatedDocument: fc.Arbitrary<string> = fc
  .letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.string({ maxLength: 8 }).map((t) => t.replace(/[<&]/g, '')),
      fc
        .tuple(
          fc.constantFrom(...policyNames),
          fc.array(fc.tuple(fc.constantFrom('name', 'value', 'calls', 'renewal-period', 'condition', 'counter-key', 'exists-action', 'code', 'x'), fc.constantFrom('1', '', 'x', '-5', '@(1)', '@(', 'override', '99999999999999999999', 'true')), { maxLength: 3 }),
          fc.array(tie('node'), { maxLength: 3 }),
        )
        .map(([name, attrs, children]) => `<${name}${attrs.map(([k, v]) => ` ${k}="${v}"`).join('')}>${children.join('')}</${name}>`),
    ),
  }))
  .node.chain((node) => fc.constantFrom(...sections).map((section) => `<policies><${section}>${node}</${section}></policies>`));

describe('fuzz: policy documents', () => {
  it('any text compiles or fails with a positioned PolicyCompileError', () => {
    checkProperty(fc.string({ maxLength: 200 }), (text) => compilesOrExplains(text), 300);
    checkProperty(fc.string({ unit: 'binary', maxLength: 120 }), (text) => compilesOrExplains(`<policies><inbound>${text}</inbound></policies>`), 200);
  });

  it('edits of valid documents compile or fail with a positioned PolicyCompileError, at every scope', () => {
    for (const doc of documents) compileOnly(doc, 'api'); // the seeds themselves are valid
    checkProperty(fc.tuple(mutatedText(documents, xmlAlphabet), fc.constantFrom('global', 'product', 'api', 'operation') as fc.Arbitrary<'global' | 'product' | 'api' | 'operation'>), ([xml, scope]) => compilesOrExplains(xml, scope), 600);
  });

  it('generated element trees of known and unknown policies compile or fail with a positioned PolicyCompileError', () => {
    checkProperty(generatedDocument, (xml) => compilesOrExplains(xml), 400);
  });

  it('deep nesting and long texts are refused or compiled without exhausting the stack', () => {
    for (const depth of [100, 1_000, 10_000]) {
      compilesOrExplains(`<policies><inbound>${'<choose><when condition="true">'.repeat(depth)}${'</when></choose>'.repeat(depth)}</inbound></policies>`);
      compilesOrExplains(`<policies><inbound>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</inbound></policies>`);
    }
    compilesOrExplains(`<policies><inbound><set-header name="x" exists-action="override"><value>${'a'.repeat(1_000_000)}</value></set-header></inbound></policies>`);
  });
});
