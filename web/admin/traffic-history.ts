/**
 * The dashboard's recent window: the readings of the gateway's metrics this browser tab made in
 * the last minutes, kept while the console is open (a reload of the page starts afresh). The
 * recent figures are the difference between the newest reading and the oldest one in the window.
 */
import type { ApiCounts } from './api-traffic.js';

/** How far back the recent window reaches. */
export const recentWindowMs = 5 * 60_000;

export interface TrafficReading {
  at: number;
  counts: Map<string, ApiCounts>;
}

const readings: TrafficReading[] = [];

/** Keeps `reading` and answers the one the recent window starts from (undefined: none yet). */
export function rememberReading(reading: TrafficReading): TrafficReading | undefined {
  while (readings.length > 0 && readings[0]!.at < reading.at - recentWindowMs) readings.shift();
  const start = readings[0];
  readings.push(reading);
  return start;
}
