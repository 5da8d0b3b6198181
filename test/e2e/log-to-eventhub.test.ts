/**
 * log-to-eventhub through the real CLI (`gatehouse start`, built dist/), the loggers resource
 * and the machine's RabbitMQ and NATS: event hub loggers whose `credentials` name an amqp:// or
 * nats:// sink (the connection string moved into a secret named value, as Azure does) and an API
 * policy are written through the management API of the running process; requests' messages are
 * consumed from the real brokers, routed by partition key (RabbitMQ routing key) and partition id
 * (NATS subject). Loggers pointed at a closed port and at a server that never answers leave
 * every request fast and 200, the buffer bound holds and the drops are counted on `/metrics`.
 * A policy naming a logger that does not exist is refused at save time; changing a logger's
 * credentials moves its messages to the new sink; the process exits cleanly (no socket left open).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { defaultBufferLimits } from '../../src/gateway/event-logging/logger-buffer.js';
import { brokersSkipReason, closedPort, NatsConsumer, RabbitConsumer, testAmqpUrl, testNatsUrl, uniqueHubName } from '../helpers/test-brokers.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { waitFor } from './helpers/wait-for.js';

const skip = await brokersSkipReason('the log-to-eventhub end-to-end tests');
const token = 'log-to-eventhub-e2e-admin-token-3';
const service = '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ApiManagement/service/gatehouse';

const policy = `<policies><inbound><base />
  <choose>
    <when condition="@(context.Request.Headers.GetValueOrDefault(&quot;x-sink&quot;, &quot;&quot;) == &quot;down&quot;)">
      <log-to-eventhub logger-id="down-amqp">@(context.Request.Body.As&lt;string&gt;(preserveContent: true))</log-to-eventhub>
      <log-to-eventhub logger-id="silent-nats">@(context.Request.Body.As&lt;string&gt;(preserveContent: true))</log-to-eventhub>
      <return-response><set-status code="200" reason="OK" /></return-response>
    </when>
    <otherwise>
      <log-to-eventhub logger-id="rabbit" partition-key="@(context.Request.Headers.GetValueOrDefault(&quot;x-tenant&quot;, &quot;none&quot;))">
        @("rabbit " + context.Request.Method + " " + context.Request.Headers.GetValueOrDefault("x-seq", ""))
      </log-to-eventhub>
      <log-to-eventhub logger-id="nats" partition-id="1">@("nats " + context.Request.Headers.GetValueOrDefault("x-seq", ""))</log-to-eventhub>
    </otherwise>
  </choose>
</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

function printed(gh: GatehouseProcess, pattern: RegExp): string {
  const m = pattern.exec(gh.stdout.join('\n'));
  assert.ok(m, `no line matching ${pattern} in:\n${gh.stdout.join('\n')}`);
  return m[1]!;
}

async function manage(gh: GatehouseProcess, method: string, path: string, properties?: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const url = `${printed(gh, /management API \(http\): (\S+)/)}${service}/${path}?api-version=2024-05-01`;
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '*' }, body: properties ? JSON.stringify({ properties }) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function put(gh: GatehouseProcess, path: string, properties: Record<string, unknown>): Promise<any> {
  const r = await manage(gh, 'PUT', path, properties);
  assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function metric(gh: GatehouseProcess, name: string, labels: string): Promise<number> {
  const res = await fetch(`${printed(gh, /management API \(http\): (\S+)/)}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const m = new RegExp(`^${name}${labels.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** A TCP server that accepts connections and never writes: a sink that hangs. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

describe('gatehouse start: log-to-eventhub to RabbitMQ and NATS', { skip }, () => {
  const rabbitHub = uniqueHubName('e2e-rabbit');
  const natsHub = uniqueHubName('e2e-nats');
  let gh: GatehouseProcess;
  let rabbit: RabbitConsumer;
  let nats: NatsConsumer;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let key: string;

  const call = async (headers: Record<string, string>, body?: string): Promise<{ status: number }> => {
    const res = await fetch(`${gh.gatewayUrl}/echo/resource`, { method: body === undefined ? 'GET' : 'POST', body, headers: { 'Ocp-Apim-Subscription-Key': key, ...headers } });
    await res.arrayBuffer();
    return { status: res.status };
  };

  before(async () => {
    rabbit = await RabbitConsumer.start(rabbitHub);
    nats = await NatsConsumer.start(natsHub);
    silent = await silentServer();
    gh = await startGatehouseProcess(['--admin-token', token]);
    key = printed(gh, /sample subscription key \(product 'starter'\): (\S+)/);
    const downPort = await closedPort();
    const rabbitLogger = await put(gh, 'loggers/rabbit', { loggerType: 'azureEventHub', isBuffered: true, credentials: { name: rabbitHub, connectionString: testAmqpUrl } });
    // The clear-text URL (with its password) was moved into a secret named value, as Azure does.
    assert.match(rabbitLogger.properties.credentials.connectionString, /^\{\{Logger-Credentials-[0-9a-f]{24}\}\}$/);
    await put(gh, 'loggers/nats', { loggerType: 'azureEventHub', isBuffered: false, credentials: { name: natsHub, connectionString: testNatsUrl } });
    await put(gh, 'loggers/down-amqp', { loggerType: 'azureEventHub', credentials: { name: 'down', connectionString: `amqp://guest:guest@127.0.0.1:${downPort}` } });
    await put(gh, 'loggers/silent-nats', { loggerType: 'azureEventHub', credentials: { name: 'silent', connectionString: `nats://127.0.0.1:${silent.port}` } });
    await put(gh, 'apis/echo-api/policies/policy', { format: 'rawxml', value: policy });
  });
  after(async () => {
    await gh?.stop();
    for (const socket of silent?.sockets ?? []) socket.destroy();
    silent?.server.close();
    await rabbit?.stop();
    await nats?.stop();
  });

  it('refuses at save time a policy naming a logger that does not exist', async () => {
    const r = await manage(gh, 'PUT', 'apis/echo-api/operations/create-resource/policies/policy', {
      format: 'rawxml',
      value: '<policies><inbound><base /><log-to-eventhub logger-id="nowhere">x</log-to-eventhub></inbound></policies>',
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.details[0].target, 'log-to-eventhub');
    assert.match(r.body.error.details[0].message, /line 1, column \d+: Logger with id 'nowhere' could not be found/);
  });

  it('delivers each request\'s messages to RabbitMQ (routed by partition key) and NATS (subject by partition id)', async () => {
    // The configuration reaches the gateway live: call until the policy runs.
    await waitFor('the policy to run', async () => {
      await call({ 'x-tenant': 'warmup', 'x-seq': 'w' });
      return nats.messages.length > 0;
    }, gh, 30_000);
    const numbered = (list: typeof rabbit.messages) => list.filter((m) => /\d$/.test(m.body));
    for (let i = 0; i < 5; i++) assert.equal((await call({ 'x-tenant': i % 2 ? 'contoso' : 'fabrikam', 'x-seq': String(i) })).status, 200);
    await waitFor('five messages on each broker', () => numbered(rabbit.messages).length >= 5 && numbered(nats.messages).length >= 5, gh);
    assert.deepEqual(numbered(rabbit.messages).map((m) => [m.body, m.address, m.headers['x-partition-key']]), [
      ['rabbit GET 0', 'fabrikam', 'fabrikam'],
      ['rabbit GET 1', 'contoso', 'contoso'],
      ['rabbit GET 2', 'fabrikam', 'fabrikam'],
      ['rabbit GET 3', 'contoso', 'contoso'],
      ['rabbit GET 4', 'fabrikam', 'fabrikam'],
    ]);
    assert.deepEqual(numbered(nats.messages).map((m) => [m.body, m.address, m.headers['Partition-Id']]), [0, 1, 2, 3, 4].map((i) => [`nats ${i}`, `${natsHub}.1`, '1']));
    await waitFor('the sends to be counted', async () => (await metric(gh, 'gatehouse_logger_messages_sent_total', '{logger="nats"}')) >= 6, gh);
  });

  it('stays fast and 200 with sinks that are down or hang; the buffer bound holds and the drops are counted', async () => {
    const size = 150 * 1024;
    const held = Math.min(defaultBufferLimits.maxMessages, Math.floor(defaultBufferLimits.maxBytes / size));
    const requests = held + 6;
    const body = 'x'.repeat(size);
    for (let i = 0; i < requests; i++) {
      const r = await call({ 'x-sink': 'down', 'content-type': 'text/plain' }, body);
      assert.equal(r.status, 200);
      if (i === 0) {
        // The first message makes the sender open the silent sink, which never answers, and it
        // gives up only after its connect timeout. The request was answered before that: once
        // answered, the connection is seen still hanging, with no failure counted yet.
        await waitFor('the sender to connect to the silent sink', () => silent.sockets.size > 0, gh);
        assert.equal(await metric(gh, 'gatehouse_logger_messages_dropped_total', '{logger="silent-nats",reason="send_failed"}'), 0);
        assert.ok(silent.sockets.size > 0, 'the silent sink\'s connection still hangs');
      }
    }
    for (const logger of ['down-amqp', 'silent-nats']) {
      await waitFor(`${logger}'s drops on /metrics`, async () => (await metric(gh, 'gatehouse_logger_messages_dropped_total', `{logger="${logger}",reason="buffer_full"}`)) === requests - held, gh);
    }
    assert.equal(await metric(gh, 'gatehouse_logger_messages_sent_total', '{logger="down-amqp"}'), 0);
  });

  it('follows a change of a logger\'s credentials: its messages go to the new sink', async () => {
    await put(gh, 'loggers/nats', { loggerType: 'azureEventHub', isBuffered: false, credentials: { name: rabbitHub, connectionString: testAmqpUrl } });
    await waitFor('a message of the nats logger on RabbitMQ', async () => {
      await call({ 'x-tenant': 'moved', 'x-seq': 'm' });
      return rabbit.messages.some((m) => m.body === 'nats m' && m.address === '1');
    }, gh, 30_000);
  });

  it('exits cleanly on SIGTERM, its sink connections closed', async () => {
    assert.equal(await gh.stop(), 0, gh.stderr.join(''));
  });
});

describe('gatehouse start --workers 2: log-to-eventhub from each worker', { skip }, () => {
  const natsHub = uniqueHubName('e2e-workers');
  let gh: GatehouseProcess;
  let nats: NatsConsumer;

  before(async () => {
    nats = await NatsConsumer.start(natsHub);
    gh = await startGatehouseProcess(['--admin-token', token, '--workers', '2']);
  });
  after(async () => {
    await gh?.stop();
    await nats?.stop();
  });

  it("delivers every request's message, counts the sends summed over the workers and exits cleanly", async () => {
    await put(gh, 'loggers/nats', { loggerType: 'azureEventHub', credentials: { name: natsHub, connectionString: testNatsUrl } });
    await put(gh, 'apis/echo-api/policies/policy', {
      format: 'rawxml',
      value: '<policies><inbound><base /><log-to-eventhub logger-id="nats" partition-key="@(context.Request.Headers.GetValueOrDefault(&quot;x-seq&quot;, &quot;&quot;))">@("seq " + context.Request.Headers.GetValueOrDefault("x-seq", ""))</log-to-eventhub></inbound></policies>',
    });
    const key = printed(gh, /sample subscription key \(product 'starter'\): (\S+)/);
    const call = async (seq: string) => {
      const res = await fetch(`${gh.gatewayUrl}/echo/resource`, { headers: { 'Ocp-Apim-Subscription-Key': key, 'x-seq': seq, connection: 'close' } });
      await res.arrayBuffer();
      assert.equal(res.status, 200);
    };
    // Both workers take the configuration live; a new connection per call spreads the calls over them.
    await waitFor('the policy to run', async () => {
      await call('warmup');
      return nats.messages.length > 0;
    }, gh, 30_000);
    for (let i = 0; i < 10; i++) await call(String(i));
    await waitFor('ten messages', () => nats.messages.filter((m) => /^seq \d$/.test(m.body)).length === 10, gh);
    assert.deepEqual(nats.messages.filter((m) => /^seq \d$/.test(m.body)).map((m) => m.address).sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `${natsHub}.${i}`));
    // Every message NATS delivered was sent by one of the workers: /metrics sums their counts.
    await waitFor('the sends summed on /metrics', async () => (await metric(gh, 'gatehouse_logger_messages_sent_total', '{logger="nats"}')) === nats.messages.length, gh);
    assert.equal(await gh.stop(), 0, gh.stderr.join(''));
  });
});
