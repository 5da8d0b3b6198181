/**
 * The machine's RabbitMQ (amqp://guest:guest@127.0.0.1:5672; GATEHOUSE_TEST_AMQP_URL) and NATS
 * (nats://127.0.0.1:4222; GATEHOUSE_TEST_NATS_URL) for the log-to-eventhub tests, with consumers
 * that collect what a logger sent. Absent brokers fail under CI=true and skip with a printed
 * reason elsewhere (DESIGN.md "Tests").
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { connect as connectAmqp, type ChannelModel } from 'amqplib';
import { connect as connectNats, type NatsConnection } from 'nats';

export const testAmqpUrl = process.env.GATEHOUSE_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const testNatsUrl = process.env.GATEHOUSE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** An event hub name no other test run shares. */
export function uniqueHubName(what: string): string {
  return `gatehouse-test-${what}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Undefined when both brokers answer, else why the tests are skipped (a failing test under CI=true). */
export async function brokersSkipReason(what: string): Promise<string | undefined> {
  let reason: string | undefined;
  try {
    const amqp = await connectAmqp(testAmqpUrl, { timeout: 3000 });
    await amqp.close();
  } catch (err) {
    reason = `RabbitMQ at 127.0.0.1:5672 is unreachable (${(err as Error).message})`;
  }
  try {
    const nats = await connectNats({ servers: testNatsUrl, timeout: 3000, reconnect: false });
    await nats.close();
  } catch (err) {
    reason ??= `NATS at ${testNatsUrl} is unreachable (${(err as Error).message})`;
  }
  if (reason === undefined) return undefined;
  if (process.env.CI === 'true') it(`reaches RabbitMQ and NATS (required in CI for ${what})`, () => assert.fail(reason));
  else console.log(`# skipping ${what}: ${reason}`);
  return reason;
}

/** One message as a consumer saw it. */
export interface ConsumedMessage {
  body: string;
  /** RabbitMQ: the routing key; NATS: the subject. */
  address: string;
  headers: Record<string, string>;
}

/** Reads the messages a logger sends to RabbitMQ: from the queue named after the hub (which the sink declares). */
export class RabbitConsumer {
  readonly messages: ConsumedMessage[] = [];
  private constructor(private readonly connection: ChannelModel, private readonly hub: string) {}

  /** Declares the hub's exchange and queue as the sink does (so nothing is lost before the gateway connects) and consumes. */
  static async start(hub: string): Promise<RabbitConsumer> {
    const connection = await connectAmqp(testAmqpUrl, { timeout: 3000 });
    const consumer = new RabbitConsumer(connection, hub);
    const channel = await connection.createChannel();
    await channel.assertExchange(hub, 'topic', { durable: true });
    await channel.assertQueue(hub, { durable: true });
    await channel.bindQueue(hub, hub, '#');
    await channel.consume(hub, (msg) => {
      if (!msg) return;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(msg.properties.headers ?? {})) headers[k] = String(v);
      consumer.messages.push({ body: msg.content.toString('utf8'), address: msg.fields.routingKey, headers });
      channel.ack(msg);
    });
    return consumer;
  }

  /** Deletes the hub's queue and exchange and disconnects. */
  async stop(): Promise<void> {
    const channel = await this.connection.createChannel();
    await channel.deleteQueue(this.hub);
    await channel.deleteExchange(this.hub);
    await this.connection.close();
  }
}

/** Reads the messages a logger sends to NATS: on the hub's subject and below it. */
export class NatsConsumer {
  readonly messages: ConsumedMessage[] = [];
  private constructor(private readonly connection: NatsConnection) {}

  static async start(hub: string): Promise<NatsConsumer> {
    const connection = await connectNats({ servers: testNatsUrl, timeout: 3000 });
    const consumer = new NatsConsumer(connection);
    for (const subject of [hub, `${hub}.>`]) {
      connection.subscribe(subject, {
        callback: (err, msg) => {
          if (err) return;
          const headers: Record<string, string> = {};
          for (const key of msg.headers?.keys() ?? []) headers[key] = msg.headers!.get(key);
          consumer.messages.push({ body: new TextDecoder().decode(msg.data), address: msg.subject, headers });
        },
      });
    }
    // The subscriptions are in place on the server before anything is sent.
    await connection.flush();
    return consumer;
  }

  async stop(): Promise<void> {
    await this.connection.close();
  }
}

/** Resolves once `ready()` holds, checking every 20 ms; fails after `timeoutMs`. */
export async function eventually(what: string, ready: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A loopback port nothing listens on (bound, then closed): a sink that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
