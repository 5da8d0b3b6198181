/** `gatehouse gateway`'s options: required URL and token (or their environment twins), checked, and the token never repeated in a message. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGatewayOptions } from '../../src/main/gateway-command-options.js';
import { UsageError } from '../../src/main/command-options.js';

const token = 'gw-1&203001020304&' + Buffer.alloc(64, 3).toString('base64');

describe('gatehouse gateway options', () => {
  it('reads the URL and token from the command line or the environment, with the defaults', () => {
    const fromArgs = parseGatewayOptions(['--management-url', 'https://apim.example:8444/', '--gateway-token', token], {});
    const fromEnv = parseGatewayOptions([], { GATEHOUSE_MANAGEMENT_URL: 'https://apim.example:8444/', GATEHOUSE_GATEWAY_TOKEN: token });
    assert.deepEqual(fromArgs, fromEnv);
    assert.equal(fromArgs.managementUrl, 'https://apim.example:8444');
    assert.equal(fromArgs.gatewayId, 'gw-1');
    assert.deepEqual([fromArgs.data, fromArgs.host, fromArgs.gatewayPort, fromArgs.pollIntervalMs, fromArgs.heartbeatIntervalMs], ['.gatehouse-gateway', '127.0.0.1', 8080, 1000, 10_000]);
    assert.deepEqual(fromArgs.accessLog, { kind: 'stdout' });
    assert.equal(parseGatewayOptions(['--access-log', 'off'], { GATEHOUSE_MANAGEMENT_URL: 'http://x', GATEHOUSE_GATEWAY_TOKEN: token }).accessLog, null);
  });

  it("reads start's listener and limit options the way start does", () => {
    const options = parseGatewayOptions(['--gateway-port', '0', '--trusted-proxies', '10.0.0.0/8', '--max-buffered-body-size', '1KiB', '--expression-time-budget', '2s', '--poll-interval', '250ms', '--heartbeat-interval', '3s'], {
      GATEHOUSE_MANAGEMENT_URL: 'http://127.0.0.1:8081',
      GATEHOUSE_GATEWAY_TOKEN: token,
    });
    assert.deepEqual([options.gatewayPort, options.trustedProxies, options.maxBufferedBodyBytes, options.expressionTimeBudgetMs, options.pollIntervalMs, options.heartbeatIntervalMs], [0, ['10.0.0.0/8'], 1024, 2000, 250, 3000]);
  });

  const env = { GATEHOUSE_MANAGEMENT_URL: 'http://127.0.0.1:8081', GATEHOUSE_GATEWAY_TOKEN: token };
  const refusals: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
    ['no management URL', [], { GATEHOUSE_GATEWAY_TOKEN: token }, /--management-url \(or GATEHOUSE_MANAGEMENT_URL\) is required/],
    ['no token', [], { GATEHOUSE_MANAGEMENT_URL: 'http://x' }, /--gateway-token \(or GATEHOUSE_GATEWAY_TOKEN\) is required/],
    ['a URL with credentials', ['--management-url', 'http://u:p@x'], env, /Invalid --management-url/],
    ['a URL that is not http', ['--management-url', 'ftp://x'], env, /Invalid --management-url 'ftp:\/\/x'/],
    ['a token of another shape', [], { ...env, GATEHOUSE_GATEWAY_TOKEN: 'Bearer abc' }, /Invalid GATEHOUSE_GATEWAY_TOKEN: expected \{gatewayId\}&\{yyyyMMddHHmm\}&\{signature\}/],
    ['a poll interval too short', ['--poll-interval', '10ms'], env, /Invalid --poll-interval '10ms'/],
    ['a heartbeat interval that is not a time', ['--heartbeat-interval', 'often'], env, /Invalid --heartbeat-interval 'often'/],
    ['a bad port', ['--gateway-port', '70000'], env, /Invalid --gateway-port '70000'/],
  ];
  for (const [what, args, environment, message] of refusals) {
    it(`refuses ${what}`, () => {
      assert.throws(() => parseGatewayOptions(args, environment), (err: Error) => err instanceof UsageError && message.test(err.message) && !err.message.includes(token.split('&')[2]!));
    });
  }
});
