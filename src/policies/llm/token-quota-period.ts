/**
 * The fixed windows of a token quota (`token-quota-period`: Hourly, Daily, Weekly, Monthly,
 * Yearly) and how the 403 tells the time left. Azure does not document where a window starts;
 * Gatehouse uses calendar windows in UTC (an hour from :00, a day from midnight, a week from
 * Monday, a month from the 1st, a year from 1 January), so every gateway of a deployment agrees.
 */
import type { QuotaPeriod } from '../quota.js';

export const tokenQuotaPeriods = ['Hourly', 'Daily', 'Weekly', 'Monthly', 'Yearly'] as const;
export type TokenQuotaPeriodName = (typeof tokenQuotaPeriods)[number];

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** The window of `period` containing `nowMs`. */
export function tokenQuotaPeriod(period: TokenQuotaPeriodName, nowMs: number): QuotaPeriod {
  const now = new Date(nowMs);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  switch (period) {
    case 'Hourly': {
      const start = Math.floor(nowMs / hourMs) * hourMs;
      return { start, end: start + hourMs };
    }
    case 'Daily': {
      const start = Math.floor(nowMs / dayMs) * dayMs;
      return { start, end: start + dayMs };
    }
    case 'Weekly': {
      const midnight = Math.floor(nowMs / dayMs) * dayMs;
      // getUTCDay: 0 = Sunday; weeks start on Monday (ISO 8601).
      const sinceMonday = (now.getUTCDay() + 6) % 7;
      const start = midnight - sinceMonday * dayMs;
      return { start, end: start + 7 * dayMs };
    }
    case 'Monthly':
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
    case 'Yearly':
      return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
  }
}

/**
 * A time left as Azure's token-quota 403 words it: the two largest units that are not zero,
 * "21 minutes and 33 seconds", "3 days and 4 hours", "1 second".
 */
export function humanizedDuration(ms: number): string {
  let seconds = Math.max(1, Math.ceil(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [['day', 86_400], ['hour', 3_600], ['minute', 60], ['second', 1]] as const) {
    const amount = Math.floor(seconds / size);
    seconds -= amount * size;
    if (amount > 0) parts.push(`${amount} ${unit}${amount === 1 ? '' : 's'}`);
  }
  return parts.slice(0, 2).join(' and ');
}
