/**
 * Compiling for a WebSocket handshake: `refuse` fails at the first policy onHandshake does not
 * run (wherever it sits, a fragment included) with its element, line and column; `skip` compiles
 * such policies to nothing, which the runtime test (websocket-handshake-skipped-policies) runs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicyDocument } from '../../src/pipeline/compile-document.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { harnessEnvironment } from '../helpers/policy-harness.js';

const document = `<policies>
  <inbound>
    <base />
    <choose>
      <when condition="@(true)">
        <set-method>POST</set-method>
      </when>
    </choose>
  </inbound>
</policies>`;

function compileError(xml: string, fragments: Record<string, string> = {}): PolicyCompileError {
  try {
    compilePolicyDocument({ xml, source: 'onHandshake' }, 'operation', { ...harnessEnvironment({ fragments }), webSocketHandshake: 'refuse' });
  } catch (err) {
    if (err instanceof PolicyCompileError) return err;
    throw err;
  }
  throw new Error('expected a compile error');
}

describe('compiling for a WebSocket handshake', () => {
  it('refuses a nested policy onHandshake does not run, with element, line and column', () => {
    const err = compileError(document);
    assert.equal(err.element, 'set-method');
    assert.equal(err.line, 6);
    assert.equal(err.column, 9);
    assert.equal(err.reason, "Policy 'set-method' is not supported on the onHandshake operation of a WebSocket API.");
  });

  it('refuses one an included fragment holds, and one Gatehouse does not implement by the same reason', () => {
    const fromFragment = compileError('<policies><inbound><include-fragment fragment-id="f" /></inbound></policies>', { f: '<fragment><cors><allowed-origins><origin>*</origin></allowed-origins></cors></fragment>' });
    assert.equal(fromFragment.element, 'cors');
    assert.match(fromFragment.reason, /Policy 'cors' is not supported on the onHandshake operation/);
    assert.match(compileError('<policies><inbound><xml-to-json kind="direct" apply="always" /></inbound></policies>').reason, /Policy 'xml-to-json' is not supported on the onHandshake/);
  });

  it('compiles the same document normally, and with skip', () => {
    assert.doesNotThrow(() => compilePolicyDocument({ xml: document, source: 'api' }, 'operation', harnessEnvironment()));
    const skipped = compilePolicyDocument({ xml: document, source: 'global' }, 'global', { ...harnessEnvironment(), webSocketHandshake: 'skip' });
    assert.equal(skipped.sections.inbound?.length, 2);
  });
});
