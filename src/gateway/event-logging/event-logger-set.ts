/**
 * The event hub loggers of a gateway process (the EventLogging port of log-to-eventhub): one
 * channel per azureEventHub logger of the configuration, following each reload. A logger whose
 * destination or `isBuffered` changed gets a new channel and its old one is closed (what it held
 * is sent within the close deadline, the rest dropped and counted); a removed logger's channel
 * is closed. Closing the set closes every channel, so no socket outlives the gateway.
 */
import type { Logger } from '../../core/logger.js';
import type { ServiceLogger } from '../../model/resources.js';
import type { EventHandover, EventLogging, EventMessage } from '../../pipeline/event-logging.js';
import { LoggerChannel, type ChannelOptions } from './logger-channel.js';
import type { LoggerCounts } from './logger-metrics.js';
import { sinkForLogger } from './sink-for-logger.js';

interface Entry {
  /** The logger's settings the channel was made from: a change makes a new channel. */
  settings: string;
  /** Undefined when the logger's credentials name no sink: its messages are dropped as `no_sink`. */
  channel: LoggerChannel | undefined;
  name: string;
}

export class EventLoggerSet implements EventLogging {
  private entries = new Map<string, Entry>();
  private closed = false;
  /** Channels being closed after a reload: closing the set waits for them too. */
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly counts: LoggerCounts,
    private readonly log: Logger,
    /** Channel options besides `buffered` (tests shorten the pauses and bounds). */
    private readonly channelOptions: Omit<ChannelOptions, 'buffered'> = {},
  ) {}

  enqueue(loggerName: string, message: EventMessage): EventHandover {
    const entry = this.entries.get(loggerName.toLowerCase());
    if (entry?.channel) return entry.channel.enqueue(message);
    this.counts.dropped(entry?.name ?? loggerName, 'no_sink', 1);
    return 'dropped';
  }

  /** The channel of a logger (tests read how many messages wait). */
  channel(loggerName: string): LoggerChannel | undefined {
    return this.entries.get(loggerName.toLowerCase())?.channel;
  }

  /** Follows a configuration's loggers: new ones get a channel, changed ones a new one, removed ones are closed. */
  update(loggers: readonly ServiceLogger[] | undefined): void {
    if (this.closed) return;
    const next = new Map<string, Entry>();
    for (const logger of loggers ?? []) {
      if (logger.type !== 'azureEventHub') continue;
      const key = logger.name.toLowerCase();
      const settings = JSON.stringify([logger.eventHub ?? null, logger.buffered]);
      const current = this.entries.get(key);
      if (current && current.settings === settings && current.name === logger.name) {
        next.set(key, current);
        continue;
      }
      next.set(key, { settings, name: logger.name, channel: this.channelOf(logger) });
    }
    for (const [key, entry] of this.entries) {
      if (next.get(key) === entry || !entry.channel) continue;
      const done = entry.channel.close().finally(() => this.closing.delete(done));
      this.closing.add(done);
    }
    this.entries = next;
  }

  /** Closes every channel; later messages are dropped as `no_sink`. */
  async close(): Promise<void> {
    this.closed = true;
    const channels = [...this.entries.values()].map((e) => e.channel);
    this.entries = new Map();
    await Promise.all([...channels.map((c) => c?.close()), ...this.closing]);
  }

  private channelOf(logger: ServiceLogger): LoggerChannel | undefined {
    const sink = logger.eventHub && sinkForLogger(logger.eventHub);
    if (!sink) {
      this.log.error({ logger: logger.name }, 'log-to-eventhub: the logger\'s credentials name no sink Gatehouse can send to (Endpoint=sb://…, amqp://…, nats://… or endpointAddress); its messages are dropped');
      return undefined;
    }
    return new LoggerChannel(logger.name, sink.kind, sink.create, this.counts, this.log, { ...this.channelOptions, buffered: logger.buffered });
  }
}
