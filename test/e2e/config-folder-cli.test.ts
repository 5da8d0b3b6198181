/**
 * `gatehouse start --config` with folders that must be refused: the process exits with status 1
 * and names the file and the reason; unknown folders are accepted with one log line each.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';

const running: GatehouseProcess[] = [];
after(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

const data = () => mkdtempSync(join(tmpdir(), 'gatehouse-cfg-'));
const api = {
  'apis/a/apiInformation.json': apiInformation({ displayName: 'A', path: 'a', serviceUrl: 'http://127.0.0.1:9', subscriptionRequired: false }),
  'apis/a/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
};

describe('start --config refusals', () => {
  const cases: Array<{ name: string; files: Record<string, string | object>; message: RegExp }> = [
    {
      name: 'invalid JSON names the file',
      files: { ...api, 'apis/a/apiInformation.json': '{ "properties": ' },
      message: /apis\/a\/apiInformation\.json/,
    },
    {
      name: 'a policy with an unsupported element names the file, element, line and column',
      files: { ...api, 'apis/a/policy.xml': '<policies>\n  <inbound>\n    <no-such-policy />\n  </inbound>\n</policies>' },
      message: /apis\/a\/policy\.xml: ValidationError: .*Error in element 'no-such-policy' on line 3, column 5: Unsupported policy 'no-such-policy'\./,
    },
    {
      name: 'a policy with a bad attribute value names the attribute',
      files: { ...api, 'policy.xml': '<policies><inbound><rate-limit-by-key calls="ten" renewal-period="60" counter-key="k" /></inbound></policies>' },
      message: /policy\.xml: ValidationError: .*Error in element 'rate-limit-by-key' on line 1, column \d+: The value 'ten' of attribute 'calls' is not a valid integer\./,
    },
    {
      name: 'malformed XML names the file',
      files: { ...api, 'apis/a/policy.xml': '<policies><inbound></policies>' },
      message: /apis\/a\/policy\.xml/,
    },
    {
      name: 'an unknown named value is refused',
      files: { ...api, 'apis/a/policy.xml': '<policies><inbound><set-header name="x"><value>{{nope}}</value></set-header></inbound></policies>' },
      message: /Cannot find a named value with name 'nope'/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = writeApiopsFolder(c.files);
      const r = await runGatehouse(['start', '--gateway-port', '0', '--data', data(), '--config', dir]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, c.message);
      assert.doesNotMatch(r.stdout, /gateway \(http\)/);
    });
  }

  it('reads loggers, diagnostics and tags, and accepts unknown folders with one log line each', async () => {
    const dir = writeApiopsFolder({
      ...api,
      'loggers/appinsights/loggerInformation.json': { properties: { loggerType: 'applicationInsights', credentials: { instrumentationKey: '00000000-0000-0000-0000-000000000000' } } },
      'diagnostics/applicationinsights/diagnosticInformation.json': { properties: { loggerId: '/loggers/appinsights' } },
      'tags/t1/tagInformation.json': { properties: { displayName: 't1' } },
      'workspaces/w1/workspaceInformation.json': { properties: {} },
      'portal/settings.json': {},
    });
    const gh = await startGatehouseProcess(['--config', dir], { env: { GATEHOUSE_LOG_LEVEL: 'info' } });
    running.push(gh);
    const logs = gh.stderr.join('');
    for (const folder of ['workspaces', 'portal']) {
      const lines = logs.split('\n').filter((l) => l.includes(`"msg":"${folder}: folder not read`));
      assert.equal(lines.length, 1, `expected one log line for ${folder}:\n${logs}`);
    }
    for (const folder of ['loggers', 'diagnostics', 'tags']) assert.ok(!logs.includes(`"msg":"${folder}: folder not read`), `${folder} are read:\n${logs}`);
    assert.match(gh.stdout.join('\n'), /imported into the store \(\d+ created/);
    const res = await fetch(`${gh.gatewayUrl}/a/x`);
    assert.notEqual(res.status, 404);
  });
});
