/** Subscription keys for subscriptions whose file carries none (Azure generates them too, reference §5.2). */
import { randomBytes } from 'node:crypto';

/** A new random key: 32 hexadecimal characters (128 bits). */
export function generateSubscriptionKey(): string {
  return randomBytes(16).toString('hex');
}
