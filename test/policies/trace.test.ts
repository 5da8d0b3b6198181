import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { PolicyTelemetry, TraceEntry } from '../../src/pipeline/policy-telemetry.js';
import { compileOnly, expectCompileError, runPolicies } from '../helpers/policy-harness.js';

const inbound = (body: string) => `<policies><inbound>${body}<return-response /></inbound><backend><base /></backend><outbound /><on-error /></policies>`;

function recording(): PolicyTelemetry & { traces: TraceEntry[] } {
  const traces: TraceEntry[] = [];
  return { traces, trace: (_gw, entry) => void traces.push(entry), emitMetric() {} };
}

describe('trace', () => {
  it('hands source, severity, message and metadata (expressions evaluated) to the telemetry', async () => {
    const telemetry = recording();
    await runPolicies({
      api: inbound(`<set-variable name="clientConnectionID" value="c-42" />
        <trace source="PetStore API" severity="Information"><message>@((string)context.Variables["clientConnectionID"])</message>
        <metadata name="Operation Name" value="New-Order" /><metadata name="@(&quot;m&quot; + &quot;2&quot;)" value="@(context.Request.Method)" /></trace>`),
      telemetry,
    });
    assert.deepEqual(telemetry.traces, [{ source: 'PetStore API', severity: 'information', message: 'c-42', metadata: { 'Operation Name': 'New-Order', m2: 'GET' } }]);
  });

  it('defaults severity to verbose', async () => {
    const telemetry = recording();
    await runPolicies({ api: inbound('<trace source="s"><message>hello</message></trace>'), telemetry });
    assert.equal(telemetry.traces[0]!.severity, 'verbose');
  });

  it("takes the element's own text as the message, the form of Azure's VS Code snippet", async () => {
    const snippets = JSON.parse(readFileSync(new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url), 'utf8')) as Record<string, { body: string[] }>;
    const filled = snippets.trace!.body.join('\n').replace('$1', 'snippet').replace('$2', 'context.Request.Method + " seen"');
    const telemetry = recording();
    await runPolicies({ api: inbound(filled), telemetry });
    assert.deepEqual(telemetry.traces, [{ source: 'snippet', severity: 'verbose', message: 'GET seen', metadata: {} }]);
  });

  it('runs in every section', () => {
    for (const section of ['inbound', 'backend', 'outbound', 'on-error']) {
      assert.doesNotThrow(() => compileOnly(`<policies><${section}><trace source="s"><message>m</message></trace></${section}></policies>`));
    }
  });

  it('refuses a missing source or message, an unknown severity, two messages, incomplete metadata and other children', () => {
    const cases: Array<[string, RegExp]> = [
      ['<trace><message>m</message></trace>', /required attribute 'source'/],
      ['<trace source="s" />', /'message' element is required/],
      ['<trace source="s" severity="debug"><message>m</message></trace>', /not one of: verbose, information, error/],
      ['<trace source="s"><message>a</message><message>b</message></trace>', /only once/],
      ['<trace source="s"><message>m</message><metadata name="n" /></trace>', /required attribute 'value'/],
      ['<trace source="s"><message>m</message><note /></trace>', /'note' is not allowed in 'trace'/],
      ['<trace source="s">text<message>m</message></trace>', /both text and a 'message'/],
      ['<trace source="@(&quot;s&quot;)"><message>m</message></trace>', /does not accept policy expressions/],
    ];
    for (const [xml, reason] of cases) assert.match(expectCompileError(`<policies><inbound>${xml}</inbound></policies>`).reason, reason, xml);
  });
});
