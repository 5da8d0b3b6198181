/**
 * Where the `log-to-eventhub` policy hands its messages (docs/policies/log-to-eventhub.md): a
 * gateway keeps one bounded buffer per event hub logger and sends from it in the background, so
 * handing a message over never waits on the network and never fails the request.
 */

/** One message of log-to-eventhub: its text and the partition it asks for (at most one of the two). */
export interface EventMessage {
  body: string;
  /** `partition-id`: the index of the partition. */
  partitionId?: string;
  /** `partition-key`: the value the partition is chosen by. */
  partitionKey?: string;
}

/** What happened to a message handed over: queued for sending, or dropped and counted. */
export type EventHandover = 'queued' | 'dropped';

export interface EventLogging {
  /** Queues `message` for the logger named `loggerName` (any casing); never throws, never waits. */
  enqueue(loggerName: string, message: EventMessage): EventHandover;
}
