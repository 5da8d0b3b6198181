/**
 * The NATS sink of an event hub logger whose connection string is a `nats://` URL
 * (docs/loggers-and-diagnostics.md): core NATS publishes on the subject named after the event
 * hub (`credentials.name`), or `<hub>.<partition id>` / `<hub>.<partition key>` when the message
 * names a partition (characters a subject token cannot hold become `_`); the headers
 * `Partition-Id` and `Partition-Key` carry them as given. A flush (the server's answer to a
 * ping) confirms the batch. For messages kept while no one listens, create a JetStream stream
 * over `<hub>` and `<hub>.>`: core publishes on its subjects are stored.
 */
import { connect, headers, type NatsConnection } from 'nats';
import type { EventMessage } from '../../pipeline/event-logging.js';
import type { EventSink } from './event-sink.js';
import { untilAborted } from './until-aborted.js';

/** The subject of `message` on the hub `hub`. */
export function natsSubject(hub: string, message: EventMessage): string {
  const partition = message.partitionId ?? message.partitionKey;
  if (partition === undefined || partition === '') return hub;
  return `${hub}.${partition.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export class NatsSink implements EventSink {
  private connection: NatsConnection | undefined;
  broken = false;

  constructor(
    private readonly url: string,
    private readonly hub: string,
  ) {}

  async open(signal: AbortSignal): Promise<void> {
    // The channel reconnects with its own backoff; the client does not retry on its own.
    const connection = await untilAborted(connect({ servers: this.url, timeout: 5_000, reconnect: false, name: 'gatehouse log-to-eventhub' }), signal, (late) => void late.close());
    this.connection = connection;
    void connection.closed().then(() => (this.broken = true));
  }

  async send(messages: readonly EventMessage[], signal: AbortSignal): Promise<void> {
    const connection = this.connection;
    if (!connection || this.broken || connection.isClosed()) throw new Error('the NATS connection is closed');
    const encoder = new TextEncoder();
    for (const message of messages) {
      const fields = headers();
      // A header value is one line.
      if (message.partitionId !== undefined) fields.set('Partition-Id', message.partitionId);
      if (message.partitionKey !== undefined) fields.set('Partition-Key', message.partitionKey.replace(/[\r\n]+/g, ' '));
      connection.publish(natsSubject(this.hub, message), encoder.encode(message.body), { headers: fields });
    }
    await untilAborted(connection.flush(), signal);
  }

  async close(): Promise<void> {
    this.broken = true;
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }
}
