/**
 * The RabbitMQ sink of an event hub logger whose connection string is an `amqp://` URL
 * (docs/loggers-and-diagnostics.md): the messages go to a durable topic exchange named after the
 * event hub (`credentials.name`), with a durable queue of the same name bound to it with `#`, so
 * messages wait for a consumer as an event hub keeps its events. The routing key is the
 * message's partition key, else its partition id, else empty; the headers `x-partition-key` and
 * `x-partition-id` carry them as given. Publishes are confirmed by the broker before they count
 * as sent.
 */
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { EventMessage } from '../../pipeline/event-logging.js';
import { cutToBytes } from '../../policies/log-to-eventhub.js';
import type { EventSink } from './event-sink.js';
import { untilAborted } from './until-aborted.js';

/** AMQP 0-9-1 routing keys are short strings: at most 255 bytes. */
const maxRoutingKeyBytes = 255;

export class RabbitMqSink implements EventSink {
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  broken = false;

  constructor(
    private readonly url: string,
    /** The exchange and queue name: the logger's event hub. */
    private readonly exchange: string,
  ) {}

  async open(signal: AbortSignal): Promise<void> {
    const connection = await untilAborted(connect(this.url, { timeout: 5_000 }), signal, (late) => void late.close().catch(() => undefined));
    this.connection = connection;
    // A broker that goes away emits error then close; either way a new connection is needed.
    connection.on('error', () => (this.broken = true));
    connection.on('close', () => (this.broken = true));
    const channel = await untilAborted(connection.createConfirmChannel(), signal);
    channel.on('error', () => (this.broken = true));
    channel.on('close', () => (this.broken = true));
    await untilAborted(channel.assertExchange(this.exchange, 'topic', { durable: true }), signal);
    await untilAborted(channel.assertQueue(this.exchange, { durable: true }), signal);
    await untilAborted(channel.bindQueue(this.exchange, this.exchange, '#'), signal);
    this.channel = channel;
  }

  async send(messages: readonly EventMessage[], signal: AbortSignal): Promise<void> {
    const channel = this.channel;
    if (!channel || this.broken) throw new Error('the RabbitMQ connection is closed');
    for (const message of messages) {
      const headers: Record<string, string> = {};
      if (message.partitionKey !== undefined) headers['x-partition-key'] = message.partitionKey;
      if (message.partitionId !== undefined) headers['x-partition-id'] = message.partitionId;
      const routingKey = cutToBytes(message.partitionKey ?? message.partitionId ?? '', maxRoutingKeyBytes).text;
      channel.publish(this.exchange, routingKey, Buffer.from(message.body, 'utf8'), { persistent: true, contentType: 'text/plain; charset=utf-8', appId: 'gatehouse', timestamp: Math.floor(Date.now() / 1000), headers });
    }
    await untilAborted(channel.waitForConfirms(), signal);
  }

  async close(): Promise<void> {
    this.broken = true;
    const connection = this.connection;
    this.connection = undefined;
    this.channel = undefined;
    await connection?.close().catch(() => undefined);
  }
}
