/**
 * The bounded buffer of one event hub logger: messages wait here for the background sender. It
 * holds at most `maxMessages` messages and `maxBytes` bytes of message text; a message that
 * would exceed either is refused (the caller drops and counts it).
 */
import type { EventMessage } from '../../pipeline/event-logging.js';

export interface BufferLimits {
  maxMessages: number;
  maxBytes: number;
}

/** Per logger: 1,000 messages, 8 MiB (forty messages of Azure's largest, 200 KB). */
export const defaultBufferLimits: BufferLimits = { maxMessages: 1_000, maxBytes: 8 * 1024 * 1024 };

interface Entry {
  message: EventMessage;
  bytes: number;
}

export class LoggerBuffer {
  private entries: Entry[] = [];
  private head = 0;
  private bytesHeld = 0;

  constructor(readonly limits: BufferLimits = defaultBufferLimits) {}

  get length(): number {
    return this.entries.length - this.head;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  /** Adds `message` at the end; false (and nothing added) when it would exceed a limit. */
  push(message: EventMessage): boolean {
    const bytes = Buffer.byteLength(message.body) + Buffer.byteLength(message.partitionKey ?? '');
    if (this.length + 1 > this.limits.maxMessages || this.bytesHeld + bytes > this.limits.maxBytes) return false;
    this.entries.push({ message, bytes });
    this.bytesHeld += bytes;
    return true;
  }

  /** Takes up to `count` messages (at least one when any wait) and at most `maxBytes` from the front. */
  take(count: number, maxBytes: number): EventMessage[] {
    const out: EventMessage[] = [];
    let bytes = 0;
    while (this.head < this.entries.length && out.length < count) {
      const entry = this.entries[this.head]!;
      if (out.length > 0 && bytes + entry.bytes > maxBytes) break;
      out.push(entry.message);
      bytes += entry.bytes;
      this.bytesHeld -= entry.bytes;
      this.head++;
    }
    // Compacts once the taken front outgrows what is left, so the array never grows without bound.
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Empties the buffer; returns how many messages it held. */
  clear(): number {
    const n = this.length;
    this.entries = [];
    this.head = 0;
    this.bytesHeld = 0;
    return n;
  }
}
