import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const inbound = (xml: string) => `<policies><inbound>${xml}</inbound><backend><forward-request /></backend></policies>`;
const allow = inbound(`<ip-filter action="allow">
  <address>13.66.201.169</address>
  <address-range from="13.66.140.128" to="13.66.140.143" />
  <address>2001:db8::1</address>
  <address-range from="fd00::10" to="fd00::1f" />
</ip-filter>`);
const forbid = inbound(`<ip-filter action="forbid">
  <address-range from="10.0.0.0" to="10.255.255.255" />
  <address>::1</address>
</ip-filter>`);

async function call(policy: string, ip: string) {
  return runPolicies({ serviceUrl: backend.url, api: policy }, { ip });
}

describe('ip-filter', () => {
  it('allow: lets listed addresses and range members through (IPv4 and IPv6)', async () => {
    for (const ip of ['13.66.201.169', '13.66.140.128', '13.66.140.135', '13.66.140.143', '2001:db8::1', '2001:0db8:0:0::1', 'fd00::10', 'fd00::1a', '::ffff:13.66.201.169']) {
      const r = await call(allow, ip);
      assert.equal(r.status, 200, ip);
      assert.equal(r.json<{ path: string }>().path, '/op', ip);
    }
  });

  it('allow: refuses anything else with 403 Forbidden and CallerIpNotAllowed', async () => {
    for (const ip of ['13.66.140.127', '13.66.140.144', '13.66.201.170', 'fd00::20', '2001:db8::2', '127.0.0.1']) {
      const r = await call(allow, ip);
      assert.equal(r.status, 403, ip);
      assert.deepEqual(r.json(), { statusCode: 403, message: 'Forbidden' });
      assert.equal(r.gw.lastError?.source, 'ip-filter');
      assert.equal(r.gw.lastError?.reason, 'CallerIpNotAllowed');
      assert.equal(r.gw.lastError?.message, `Caller IP address ${ip} is not allowed. Access denied.`);
    }
  });

  it('forbid: blocks listed callers with CallerIpBlocked and lets others through', async () => {
    for (const ip of ['10.0.0.0', '10.1.2.3', '10.255.255.255', '::1', '::ffff:10.9.9.9']) {
      const r = await call(forbid, ip);
      assert.equal(r.status, 403, ip);
      assert.deepEqual(r.json(), { statusCode: 403, message: 'Forbidden' });
      assert.equal(r.gw.lastError?.source, 'ip-filter');
      assert.equal(r.gw.lastError?.reason, 'CallerIpBlocked');
      assert.equal(r.gw.lastError?.message, 'Caller IP address is blocked. Access denied.');
    }
    for (const ip of ['9.255.255.255', '11.0.0.0', '::2', '192.168.1.1']) {
      assert.equal((await call(forbid, ip)).status, 200, ip);
    }
  });

  it('reads the caller address in every form a socket or proxy gives it: IPv4-mapped, bracketed, with a zone', async () => {
    const allowLoopback = inbound('<ip-filter action="allow"><address>127.0.0.1</address><address-range from="fe80::1" to="fe80::ff" /></ip-filter>');
    for (const ip of ['::ffff:127.0.0.1', '::FFFF:127.0.0.1', '[::ffff:127.0.0.1]', '[fe80::10%eth0]', 'fe80::10%2', '[fe80::10]']) {
      assert.equal((await call(allowLoopback, ip)).status, 200, `allowed: ${ip}`);
    }
    const forbidLoopback = inbound('<ip-filter action="forbid"><address>127.0.0.1</address><address>fe80::10</address></ip-filter>');
    for (const ip of ['::ffff:127.0.0.1', '[::ffff:127.0.0.1]', '[fe80::10%eth0]', 'fe80::10%2', '[fe80::10]']) {
      const r = await call(forbidLoopback, ip);
      assert.equal(r.status, 403, `blocked: ${ip}`);
      assert.equal(r.gw.lastError?.reason, 'CallerIpBlocked', ip);
    }
    for (const ip of ['::ffff:127.0.0.2', '[fe80::11%eth0]', '[::1]']) {
      assert.equal((await call(forbidLoopback, ip)).status, 200, `not listed: ${ip}`);
    }
  });

  it('compares a mapped, bracketed or zoned caller with addresses computed by expressions, and names it plainly', async () => {
    const dynamic = inbound('<ip-filter action="allow"><address>@("127.0.0.1")</address><address>@("[fe80::10]")</address></ip-filter>');
    for (const ip of ['::ffff:127.0.0.1', '[::ffff:127.0.0.1]', 'fe80::10%eth0', '[fe80::10%2]']) {
      assert.equal((await call(dynamic, ip)).status, 200, `allowed: ${ip}`);
    }
    for (const [ip, named] of [['::ffff:10.1.2.3', '10.1.2.3'], ['[::ffff:10.1.2.3]', '10.1.2.3'], ['fe80::20%eth0', 'fe80::20'], ['[fe80::20%2]', 'fe80::20']]) {
      const r = await call(dynamic, ip);
      assert.equal(r.status, 403, ip);
      assert.equal(r.gw.lastError?.message, `Caller IP address ${named} is not allowed. Access denied.`, ip);
    }
  });

  it('matches an IPv4 caller written as an IPv4-mapped IPv6 address in any form, literal or computed (RFC 4291 2.5.5.2)', async () => {
    const literal = inbound('<ip-filter action="forbid"><address>10.0.0.1</address></ip-filter>');
    const computed = inbound('<ip-filter action="forbid"><address>@("10.0.0.1")</address></ip-filter>');
    for (const ip of ['::ffff:a00:1', '0:0:0:0:0:ffff:10.0.0.1', '::ffff:0a00:0001']) {
      for (const [name, policy] of [['literal', literal], ['computed', computed]] as const) {
        const r = await call(policy, ip);
        assert.equal(r.status, 403, `${name}: ${ip}`);
        assert.equal(r.gw.lastError?.reason, 'CallerIpBlocked', `${name}: ${ip}`);
      }
    }
    for (const ip of ['::ffff:a00:2', '::eeee:10.0.0.1', '::10.0.0.1']) {
      assert.equal((await call(literal, ip)).status, 200, `literal, not 10.0.0.1: ${ip}`);
      assert.equal((await call(computed, ip)).status, 200, `computed, not 10.0.0.1: ${ip}`);
    }
  });

  it('trims the whitespace around an address, literal or computed', async () => {
    for (const policy of [
      inbound('<ip-filter action="forbid">\n  <address>\n    10.0.0.1\n  </address>\n</ip-filter>'),
      inbound('<ip-filter action="forbid"><address>@(" 10.0.0.1 ")</address></ip-filter>'),
    ]) {
      assert.equal((await call(policy, '10.0.0.1')).gw.lastError?.reason, 'CallerIpBlocked');
      assert.equal((await call(policy, '10.0.0.2')).status, 200);
    }
  });

  it('matches no caller with a computed address that is no IP address', async () => {
    const forbidComputed = inbound('<ip-filter action="forbid"><address>@("not-an-ip")</address></ip-filter>');
    assert.equal((await call(forbidComputed, '10.0.0.1')).status, 200);
    const allowComputed = inbound('<ip-filter action="allow"><address>@("not-an-ip")</address><address>@("")</address></ip-filter>');
    const r = await call(allowComputed, '10.0.0.1');
    assert.equal(r.status, 403);
    assert.equal(r.gw.lastError?.reason, 'CallerIpNotAllowed');
  });

  it('takes the action from a policy expression, evaluated per request', async () => {
    const policy = inbound(
      '<ip-filter action="@(context.Request.Headers.GetValueOrDefault(&quot;x-mode&quot;, &quot;allow&quot;))"><address>10.0.0.1</address></ip-filter>',
    );
    const run = (ip: string, mode?: string) => runPolicies({ serviceUrl: backend.url, api: policy }, { ip, headers: mode === undefined ? {} : { 'x-mode': mode } });
    assert.equal((await run('10.0.0.1')).status, 200);
    assert.equal((await run('10.0.0.2')).gw.lastError?.reason, 'CallerIpNotAllowed');
    assert.equal((await run('10.0.0.1', 'forbid')).gw.lastError?.reason, 'CallerIpBlocked');
    assert.equal((await run('10.0.0.2', 'forbid')).status, 200);
  });

  it('fails with FailedToParseCallerIP when the caller address is unknown', async () => {
    // Brackets only around the whole address: '[::1' or 'x::1]' is no address, not '::' or '::1'.
    for (const ip of ['', 'not-an-ip', '[::1', '::1]', 'x::1]', '[10.0.0.10', '10.0.0.10]']) {
      const r = await call(allow, ip);
      assert.equal(r.status, 403, ip);
      assert.deepEqual(r.json(), { statusCode: 403, message: 'Forbidden' });
      assert.equal(r.gw.lastError?.source, 'ip-filter');
      assert.equal(r.gw.lastError?.reason, 'FailedToParseCallerIP', ip);
      assert.equal(r.gw.lastError?.message, 'Failed to establish IP address for the caller. Access denied.');
    }
  });

  it('applies several filters in policy order across scopes', async () => {
    const setup = {
      serviceUrl: backend.url,
      global: inbound('<ip-filter action="forbid"><address>192.0.2.7</address></ip-filter>'),
      api: inbound('<base /><ip-filter action="allow"><address-range from="192.0.2.0" to="192.0.2.255" /></ip-filter>'),
    };
    assert.equal((await runPolicies(setup, { ip: '192.0.2.8' })).status, 200);
    const blocked = await runPolicies(setup, { ip: '192.0.2.7' });
    assert.equal(blocked.gw.lastError?.reason, 'CallerIpBlocked');
    assert.equal(blocked.gw.lastError?.scope, 'global');
    const outside = await runPolicies(setup, { ip: '198.51.100.1' });
    assert.equal(outside.gw.lastError?.reason, 'CallerIpNotAllowed');
    assert.equal(outside.gw.lastError?.scope, 'api');
  });

  it('resolves named values in addresses and ranges', async () => {
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        namedValues: { office: '203.0.113.5', lo: '198.51.100.0', hi: '198.51.100.9' },
        api: inbound('<ip-filter action="allow"><address>{{office}}</address><address-range from="{{lo}}" to="{{hi}}" /></ip-filter>'),
      },
      { ip: '198.51.100.9' },
    );
    assert.equal(r.status, 200);
  });

  it('rejects bad configuration at compile time', () => {
    const bad = (xml: string, reason: RegExp) =>
      assert.throws(() => compileOnly(inbound(xml)), (e: unknown) => e instanceof PolicyCompileError && reason.test(e.reason));
    bad('<ip-filter action="allow" />', /At least one 'address' or 'address-range'/);
    bad('<ip-filter><address>1.2.3.4</address></ip-filter>', /required attribute 'action'/);
    bad('<ip-filter action="deny"><address>1.2.3.4</address></ip-filter>', /not one of: allow, forbid/);
    bad('<ip-filter action="allow"><address>1.2.3</address></ip-filter>', /'1\.2\.3' is not a valid IP address/);
    bad('<ip-filter action="allow"><address> 1.2.3 </address></ip-filter>', /^'1\.2\.3' is not a valid IP address\.$/);
    bad('<ip-filter action="allow"><address mask="8">1.2.3.4</address></ip-filter>', /^The 'mask' attribute is not declared\.$/);
    bad('<ip-filter action="allow"><address-range from="1.2.3.4" /></ip-filter>', /required attribute 'to'/);
    bad('<ip-filter action="allow"><address-range from="10.0.0.9" to="10.0.0.1" /></ip-filter>', /greater than its end/);
    bad('<ip-filter action="allow"><address-range from="10.0.0.1" to="::1" /></ip-filter>', /mixes IPv4 and IPv6/);
    bad('<ip-filter action="allow"><address-range from="10.0.0.1" to="10.0.0.2" mask="8" /></ip-filter>', /'mask' attribute is not declared/);
    bad('<ip-filter action="allow"><cidr>10.0.0.0/8</cidr></ip-filter>', /'cidr' is not allowed/);
    // A bad range end is reported at its own attribute.
    for (const [range, at, reason] of [
      ['<address-range from="10.0.0" to="10.0.0.9" />', 'from=', "'10.0.0' is not a valid IP address."],
      ['<address-range from="10.0.0.1" to="10.0.0.x" />', 'to=', "'10.0.0.x' is not a valid IP address."],
    ]) {
      const xml = inbound(`<ip-filter action="allow">${range}</ip-filter>`);
      const err = expectCompileError(xml);
      assert.equal(err.reason, reason);
      assert.equal(err.line, 1);
      assert.equal(err.column, xml.indexOf(at) + 1, range);
    }
    assert.throws(() => compileOnly('<policies><outbound><ip-filter action="allow"><address>1.2.3.4</address></ip-filter></outbound></policies>'), /'outbound' section/);
  });
});
