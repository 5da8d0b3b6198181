/**
 * Event hub loggers pointed at the machine's RabbitMQ and NATS: what log-to-eventhub hands over
 * arrives, in order, with the partition id or key as routing key / subject suffix and headers;
 * a reload that changes a logger swaps its sink; closing the set closes the connections; a sink
 * on a closed port never blocks the caller and its drops are counted on the Prometheus registry.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createLogger } from '../../../src/core/logger.js';
import { EventLoggerSet } from '../../../src/gateway/event-logging/event-logger-set.js';
import { loggerMetrics } from '../../../src/gateway/event-logging/logger-metrics.js';
import { natsSubject } from '../../../src/gateway/event-logging/nats-sink.js';
import type { ServiceLogger } from '../../../src/model/resources.js';
import { brokersSkipReason, closedPort, eventually, NatsConsumer, RabbitConsumer, testAmqpUrl, testNatsUrl, uniqueHubName } from '../../helpers/test-brokers.js';

const skip = await brokersSkipReason('the log-to-eventhub broker sink tests');
const log = createLogger('silent');

const eventHubLogger = (name: string, hub: string, connectionString: string, buffered = true): ServiceLogger => ({ name, type: 'azureEventHub', buffered, eventHub: { name: hub, connectionString } });

async function counterValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return Number(value?.value ?? 0);
}

describe('log-to-eventhub sinks on RabbitMQ and NATS', { skip }, () => {
  const rabbitHub = uniqueHubName('rabbit');
  const natsHub = uniqueHubName('nats');
  let rabbit: RabbitConsumer;
  let nats: NatsConsumer;
  let registry: Registry;
  let set: EventLoggerSet;

  before(async () => {
    rabbit = await RabbitConsumer.start(rabbitHub);
    nats = await NatsConsumer.start(natsHub);
    registry = new Registry();
    set = new EventLoggerSet(loggerMetrics(registry), log, { lingerMs: 5 });
  });
  after(async () => {
    await set?.close();
    await rabbit?.stop();
    await nats?.stop();
  });

  it('delivers to RabbitMQ in order, routed by partition key or id, both kept in headers', async () => {
    set.update([eventHubLogger('Rabbit-Logger', rabbitHub, testAmqpUrl)]);
    assert.equal(set.enqueue('rabbit-logger', { body: 'first' }), 'queued');
    set.enqueue('rabbit-logger', { body: 'second', partitionKey: 'tenant-a' });
    set.enqueue('rabbit-logger', { body: 'third', partitionId: '2' });
    await eventually('three RabbitMQ messages', () => rabbit.messages.length === 3);
    assert.deepEqual(rabbit.messages, [
      { body: 'first', address: '', headers: {} },
      { body: 'second', address: 'tenant-a', headers: { 'x-partition-key': 'tenant-a' } },
      { body: 'third', address: '2', headers: { 'x-partition-id': '2' } },
    ]);
    // The consumer can see the messages before the broker's publish confirm reaches the channel,
    // which counts a batch as sent only after it: wait for the count itself, not for the buffer.
    let sent = 0;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      sent = await counterValue(registry, 'gatehouse_logger_messages_sent_total', { logger: 'Rabbit-Logger' });
      if (sent >= 3) break;
    }
    assert.equal(sent, 3);
  });

  it('publishes to NATS on the hub subject, or below it for a partition, headers kept', async () => {
    set.update([eventHubLogger('nats-logger', natsHub, testNatsUrl, false)]);
    set.enqueue('nats-logger', { body: 'plain' });
    set.enqueue('nats-logger', { body: 'keyed', partitionKey: 'a.b c' });
    set.enqueue('nats-logger', { body: 'numbered', partitionId: '7' });
    await eventually('three NATS messages', () => nats.messages.length === 3);
    assert.deepEqual(nats.messages, [
      { body: 'plain', address: natsHub, headers: {} },
      { body: 'keyed', address: `${natsHub}.a_b_c`, headers: { 'Partition-Key': 'a.b c' } },
      { body: 'numbered', address: `${natsHub}.7`, headers: { 'Partition-Id': '7' } },
    ]);
    assert.equal(natsSubject('hub', { body: '', partitionKey: '' }), 'hub');
  });

  it('follows a reload: a changed destination gets a new sink, a removed logger is closed', async () => {
    set.update([eventHubLogger('moving', rabbitHub, testAmqpUrl)]);
    set.enqueue('moving', { body: 'to rabbit' });
    await eventually('the RabbitMQ message', () => rabbit.messages.some((m) => m.body === 'to rabbit'));
    const before = set.channel('moving');
    set.update([eventHubLogger('moving', natsHub, testNatsUrl)]);
    assert.notEqual(set.channel('moving'), before);
    set.enqueue('moving', { body: 'to nats' });
    await eventually('the NATS message', () => nats.messages.some((m) => m.body === 'to nats'));
    assert.equal(before!.enqueue({ body: 'late' }), 'dropped');
    set.update([]);
    assert.equal(set.enqueue('moving', { body: 'gone' }), 'dropped');
    assert.equal(await counterValue(registry, 'gatehouse_logger_messages_dropped_total', { logger: 'moving', reason: 'no_sink' }), 1);
  });

  it('never blocks on a sink that is down: the buffer fills, the rest is dropped and counted', async () => {
    const port = await closedPort();
    const own = new Registry();
    const down = new EventLoggerSet(loggerMetrics(own), log, { limits: { maxMessages: 5, maxBytes: 1024 * 1024 } });
    try {
      down.update([eventHubLogger('down', 'hub', `amqp://guest:guest@127.0.0.1:${port}`), eventHubLogger('down-nats', 'hub', `nats://127.0.0.1:${port}`)]);
      const started = performance.now();
      const outcomes = [];
      for (let i = 0; i < 12; i++) outcomes.push(down.enqueue('down', { body: `m${i}` }), down.enqueue('down-nats', { body: `m${i}` }));
      assert.ok(performance.now() - started < 250, 'handing over waited');
      assert.equal(outcomes.filter((o) => o === 'queued').length, 10);
      assert.equal(await counterValue(own, 'gatehouse_logger_messages_dropped_total', { logger: 'down', reason: 'buffer_full' }), 7);
      assert.equal(await counterValue(own, 'gatehouse_logger_messages_dropped_total', { logger: 'down-nats', reason: 'buffer_full' }), 7);
      // The buffer bound holds while the sink stays down (connect attempts fail and back off).
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(down.channel('down')!.waiting, 5);
    } finally {
      await down.close();
    }
    // What waited is dropped as closed: every message is accounted for.
    assert.equal(await counterValue(own, 'gatehouse_logger_messages_dropped_total', { logger: 'down', reason: 'closed' }), 5);
  });

  it('drops (never throws) for a logger whose credentials name no sink', async () => {
    const own = new Registry();
    const none = new EventLoggerSet(loggerMetrics(own), log);
    none.update([{ name: 'odd', type: 'azureEventHub', buffered: true, eventHub: { name: 'hub', connectionString: 'redis://127.0.0.1' } }, { name: 'ai', type: 'applicationInsights', buffered: true }]);
    assert.equal(none.enqueue('odd', { body: 'x' }), 'dropped');
    assert.equal(none.enqueue('ai', { body: 'x' }), 'dropped');
    assert.equal(await counterValue(own, 'gatehouse_logger_messages_dropped_total', { logger: 'odd', reason: 'no_sink' }), 1);
    await none.close();
  });
});
