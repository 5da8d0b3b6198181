/**
 * The Azure Event Hubs sink of an event hub logger, through Azure's own SDK (@azure/event-hubs):
 * a connection string (`Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…`, with or without
 * `EntityPath`) and the hub `credentials.name`; or `endpointAddress` with a managed identity
 * (`identityClientId`: `SystemAssigned` or a user-assigned identity's client id), which needs the
 * Azure instance metadata endpoint of a machine in Azure. Messages are sent in batches, one batch
 * per partition id or key, as the policy asked.
 */
import { EventHubProducerClient, parseEventHubConnectionString, type CreateBatchOptions, type EventDataBatch } from '@azure/event-hubs';
import { ManagedIdentityCredential } from '@azure/identity';
import type { EventHubDestination } from '../../model/resources.js';
import type { EventMessage } from '../../pipeline/event-logging.js';
import type { EventSink } from './event-sink.js';

/** The SDK client for `destination`: a connection string, else the namespace and a managed identity. */
export function eventHubsProducer(destination: EventHubDestination): EventHubProducerClient {
  // The SDK retries on its own; the channel has its own backoff, so one attempt per call.
  const options = { retryOptions: { maxRetries: 0, timeoutInMs: 10_000 } };
  if (destination.connectionString !== undefined) {
    const parsed = parseEventHubConnectionString(destination.connectionString);
    // A connection string with EntityPath names its hub: the SDK refuses a second name.
    return parsed.eventHubName ? new EventHubProducerClient(destination.connectionString, options) : new EventHubProducerClient(destination.connectionString, destination.name, options);
  }
  if (destination.endpointAddress === undefined) throw new Error('the logger has neither a connectionString nor an endpointAddress');
  const clientId = destination.identityClientId;
  const credential = clientId === undefined || clientId.toLowerCase() === 'systemassigned' ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId });
  return new EventHubProducerClient(destination.endpointAddress.replace(/^sb:\/\//i, '').replace(/\/+$/, ''), destination.name, credential, options);
}

/** The batch options of a message: its partition id or key (Event Hubs takes one or neither). */
export function batchOptions(message: EventMessage): CreateBatchOptions {
  if (message.partitionId !== undefined) return { partitionId: message.partitionId };
  if (message.partitionKey !== undefined) return { partitionKey: message.partitionKey };
  return {};
}

export class EventHubsSink implements EventSink {
  private client: EventHubProducerClient | undefined;
  broken = false;

  constructor(private readonly destination: EventHubDestination) {}

  async open(signal: AbortSignal): Promise<void> {
    const client = eventHubsProducer(this.destination);
    this.client = client;
    // The client connects lazily: asking for the hub's partitions proves the connection and the credentials.
    await client.getPartitionIds({ abortSignal: signal });
  }

  async send(messages: readonly EventMessage[], signal: AbortSignal): Promise<void> {
    const client = this.client;
    if (!client || this.broken) throw new Error('the Event Hubs client is closed');
    let batch: EventDataBatch | undefined;
    let batchKey = '';
    const flush = async (): Promise<void> => {
      if (batch && batch.count > 0) await client.sendBatch(batch, { abortSignal: signal });
      batch = undefined;
    };
    for (const message of messages) {
      const options = batchOptions(message);
      const key = JSON.stringify(options);
      if (batch && key !== batchKey) await flush();
      for (let attempt = 0; ; attempt++) {
        batch ??= await client.createBatch({ ...options, abortSignal: signal });
        batchKey = key;
        if (batch.tryAdd({ body: message.body, contentType: 'text/plain; charset=utf-8' })) break;
        if (batch.count === 0 || attempt > 0) throw new Error(`a message of ${Buffer.byteLength(message.body)} bytes does not fit an event hub batch of ${batch.maxSizeInBytes} bytes`);
        await flush();
      }
    }
    await flush();
  }

  async close(): Promise<void> {
    this.broken = true;
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }
}
