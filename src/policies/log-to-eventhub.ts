/**
 * `log-to-eventhub` (reference §3, docs/policies/log-to-eventhub.md): sends the element's text
 * (an expression or literal) to the event hub logger `logger-id`, to the partition `partition-id`
 * or the one `partition-key` picks. The logger must exist and be of type azureEventHub when the
 * policy is saved. A message longer than 200 KB is cut to 200 KB, as Azure does. Sending happens
 * in the background (pipeline/event-logging.ts): a sink that is down never slows or fails the
 * request; what cannot be sent is dropped and counted.
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { attribute, childElements } from '../pipeline/xml.js';

/** Azure: "The maximum supported message size … is 200 kilobytes (KB)"; larger ones are truncated. */
export const maxEventMessageBytes = 200 * 1024;

export const logToEventhub: PolicyModule = {
  name: 'log-to-eventhub',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    'logger-id': { type: 'string', required: true },
    'partition-id': { type: 'string' },
    'partition-key': { type: 'string', expression: true },
  },
  compile(element, ctx) {
    const loggerAttr = attribute(element, 'logger-id')!;
    const loggerId = ctx.string(element, 'logger-id')!.constant!;
    const logger = ctx.logger(loggerId);
    if (!logger) return ctx.fail(loggerAttr, `Logger with id '${loggerId}' could not be found.`);
    if (logger.type !== 'azureEventHub') ctx.fail(loggerAttr, `Logger with id '${loggerId}' is of type ${logger.type}; log-to-eventhub needs a logger of type azureEventHub.`);
    const partitionIdAttr = attribute(element, 'partition-id');
    const partitionKey = ctx.string(element, 'partition-key');
    if (partitionIdAttr && partitionKey) ctx.fail(element, "Only one of the 'partition-id' and 'partition-key' attributes may be specified.");
    const partitionId = partitionIdAttr ? ctx.string(element, 'partition-id')!.constant!.trim() : undefined;
    if (partitionId !== undefined && !/^\d{1,9}$/.test(partitionId)) ctx.fail(partitionIdAttr!, `The 'partition-id' attribute must be the index of a partition (0 or more), not '${partitionIdAttr!.value}'.`);
    const child = childElements(element)[0];
    if (child) ctx.fail(child, `The element '${child.name}' is not allowed in 'log-to-eventhub'; its content is the message text.`);
    const message = ctx.text(element);
    const name = logger.name;
    return (gw) => {
      const { text, truncated } = cutToBytes(message.get(gw).trim(), maxEventMessageBytes);
      const key = partitionKey?.get(gw);
      const handover = gw.services.eventLogging?.enqueue(name, { body: text, partitionId, partitionKey: key }) ?? 'dropped';
      if (gw.requestTrace) {
        gw.traceStep('log-to-eventhub', { loggerId: name, partitionId: partitionId ?? null, partitionKey: key ?? null, bytes: Buffer.byteLength(text), truncated, handover });
      }
    };
  },
};

/** `text` cut to at most `maxBytes` of UTF-8, never inside a character. */
export function cutToBytes(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // A UTF-16 unit takes at most 3 bytes: shorter texts fit without measuring.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}
