/**
 * Which sink an event hub logger's connection string names (docs/loggers-and-diagnostics.md):
 * Azure Event Hubs (`Endpoint=sb://…`), RabbitMQ (`amqp://`, `amqps://`) or NATS (`nats://`,
 * `tls://`). The management API refuses any other; the gateway picks its sender by it.
 */
export type EventSinkKind = 'eventHubs' | 'rabbitmq' | 'nats';

/** The sink `connectionString` names, or undefined when it names none Gatehouse can send to. */
export function eventSinkKind(connectionString: string): EventSinkKind | undefined {
  const text = connectionString.trim();
  if (/^amqps?:\/\//i.test(text)) return 'rabbitmq';
  if (/^(nats|tls):\/\//i.test(text)) return 'nats';
  if (/(^|;)\s*Endpoint\s*=\s*sb:\/\//i.test(text)) return 'eventHubs';
  return undefined;
}
