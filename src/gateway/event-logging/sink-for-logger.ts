/** Picks the sink of an event hub logger from its credentials (docs/loggers-and-diagnostics.md). */
import { eventSinkKind } from '../../model/event-sink-kind.js';
import type { EventHubDestination } from '../../model/resources.js';
import { EventHubsSink } from './event-hubs-sink.js';
import type { EventSink } from './event-sink.js';
import { NatsSink } from './nats-sink.js';
import { RabbitMqSink } from './rabbitmq-sink.js';

/** Makes a fresh, unopened sink. */
export type SinkFactory = () => EventSink;

/** The factory of `destination`'s sink and what to call it in logs; undefined when it names no sink. */
export function sinkForLogger(destination: EventHubDestination): { kind: string; create: SinkFactory } | undefined {
  const connectionString = destination.connectionString;
  if (connectionString === undefined) {
    return destination.endpointAddress === undefined ? undefined : { kind: 'Event Hubs (managed identity)', create: () => new EventHubsSink(destination) };
  }
  switch (eventSinkKind(connectionString)) {
    case 'rabbitmq':
      return { kind: 'RabbitMQ', create: () => new RabbitMqSink(connectionString.trim(), destination.name) };
    case 'nats':
      return { kind: 'NATS', create: () => new NatsSink(connectionString.trim(), destination.name) };
    case 'eventHubs':
      return { kind: 'Event Hubs', create: () => new EventHubsSink(destination) };
    default:
      return undefined;
  }
}
