/**
 * The Azure Event Hubs sink without Azure: there is no Event Hubs emulator on this machine, so
 * these tests check what can be checked locally: the SDK client is built for the right namespace
 * and hub from each form of credentials, batches carry the partition id or key, the logger's
 * connection string picks the sink, and a namespace that cannot be reached (the SDK's
 * development-emulator mode pointed at a closed local port) is logged and its messages counted,
 * never thrown into the request.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Registry } from 'prom-client';
import { batchOptions, eventHubsProducer } from '../../../src/gateway/event-logging/event-hubs-sink.js';
import { EventLoggerSet } from '../../../src/gateway/event-logging/event-logger-set.js';
import { loggerMetrics } from '../../../src/gateway/event-logging/logger-metrics.js';
import { sinkForLogger } from '../../../src/gateway/event-logging/sink-for-logger.js';
import { eventSinkKind } from '../../../src/model/event-sink-kind.js';
import { closedPort, eventually } from '../../helpers/test-brokers.js';
import { jsonLogLines } from '../../helpers/json-log-lines.js';

const connectionString = 'Endpoint=sb://contoso-ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c2VjcmV0';

describe('Event Hubs sink (no network)', () => {
  it('builds the SDK client for the namespace and the hub credentials.name names', async () => {
    const client = eventHubsProducer({ name: 'orders-hub', connectionString });
    assert.equal(client.fullyQualifiedNamespace, 'contoso-ns.servicebus.windows.net');
    assert.equal(client.eventHubName, 'orders-hub');
    await client.close();
  });

  it('takes the hub from EntityPath when the connection string has one', async () => {
    const client = eventHubsProducer({ name: 'entity-hub', connectionString: `${connectionString};EntityPath=entity-hub` });
    assert.equal(client.eventHubName, 'entity-hub');
    await client.close();
  });

  it('uses a managed identity with endpointAddress (SystemAssigned or a client id)', async () => {
    for (const identityClientId of ['SystemAssigned', '00000000-0000-0000-0000-000000000001', undefined]) {
      const client = eventHubsProducer({ name: 'mi-hub', endpointAddress: 'sb://contoso-ns.servicebus.windows.net/', identityClientId });
      assert.equal(client.fullyQualifiedNamespace, 'contoso-ns.servicebus.windows.net');
      assert.equal(client.eventHubName, 'mi-hub');
      await client.close();
    }
  });

  it('asks for the partition id or key of each message, or neither', () => {
    assert.deepEqual(batchOptions({ body: 'x', partitionId: '1' }), { partitionId: '1' });
    assert.deepEqual(batchOptions({ body: 'x', partitionKey: 'k' }), { partitionKey: 'k' });
    assert.deepEqual(batchOptions({ body: 'x' }), {});
  });

  it('picks the sink by the connection string', () => {
    assert.equal(eventSinkKind(connectionString), 'eventHubs');
    assert.equal(eventSinkKind('amqps://u:p@host/vhost'), 'rabbitmq');
    assert.equal(eventSinkKind('nats://host:4222'), 'nats');
    assert.equal(eventSinkKind('redis://host'), undefined);
    assert.equal(sinkForLogger({ name: 'h', connectionString })?.kind, 'Event Hubs');
    assert.equal(sinkForLogger({ name: 'h', endpointAddress: 'ns.servicebus.windows.net', identityClientId: 'SystemAssigned' })?.kind, 'Event Hubs (managed identity)');
    assert.equal(sinkForLogger({ name: 'h' }), undefined);
  });

  it('counts the messages of a namespace it cannot reach and logs why, without throwing', async () => {
    const port = await closedPort();
    const { sink, lines } = jsonLogLines();
    const registry = new Registry();
    const set = new EventLoggerSet(loggerMetrics(registry), pino({ level: 'warn' }, sink), { limits: { maxMessages: 1, maxBytes: 1024 }, openTimeoutMs: 5_000 });
    set.update([{ name: 'azure', type: 'azureEventHub', buffered: false, eventHub: { name: 'hub', connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true` } }]);
    assert.equal(set.enqueue('azure', { body: 'waits' }), 'queued');
    assert.equal(set.enqueue('azure', { body: 'no room' }), 'dropped');
    await eventually('the failure to be logged', () => lines.some((l) => l.logger === 'azure' && l.sink === 'Event Hubs'), 15_000);
    await set.close();
    const dropped = (await registry.getMetricsAsJSON()).find((m) => m.name === 'gatehouse_logger_messages_dropped_total')!.values;
    assert.deepEqual(Object.fromEntries(dropped.map((v) => [v.labels.reason, v.value])), { buffer_full: 1, closed: 1 });
  });
});
