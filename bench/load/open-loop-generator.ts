/**
 * Open-loop load generator (run as its own process): sends at a fixed rate whatever the answers
 * do, over at most N keep-alive connections (undici Pool), and measures each latency from the
 * request's intended send time, so queueing in the server (or in the pool when every connection
 * is busy) shows up instead of being hidden as in a closed loop (coordinated omission).
 * The first `warmupS` seconds run at the same rate but are not recorded (cold JIT, new connections).
 * Usage: open-loop-generator.ts '<json {url, headers, rate, durationS, warmupS, connections}>'
 * Prints one line `OPEN_LOOP_JSON {...}`.
 */
import { Pool } from 'undici';

interface Settings {
  url: string;
  headers: Record<string, string>;
  rate: number;
  durationS: number;
  warmupS: number;
  connections: number;
}

const settings = JSON.parse(process.argv[2]!) as Settings;
const target = new URL(settings.url);
const pool = new Pool(target.origin, { connections: settings.connections, pipelining: 1 });
const path = target.pathname + target.search;
const skipped = Math.round(settings.rate * settings.warmupS);
const measured = Math.max(1, Math.round(settings.rate * settings.durationS));
const total = skipped + measured;
const latencies = new Float64Array(measured);
const answered = new Uint8Array(total);
let completed = 0;
let finished = 0;
let errors = 0;
let sent = 0;
let closed = false;

function send(index: number, intended: number): void {
  const done = (ok: boolean): void => {
    if (closed) return;
    finished += 1;
    answered[index] = 1;
    if (index < skipped) return;
    if (!ok) errors += 1;
    latencies[completed++] = performance.now() - intended;
  };
  pool.request({ method: 'GET', path, headers: settings.headers }).then(
    async ({ statusCode, body }) => {
      for await (const _ of body) {
        // read the whole body: latency is to the last byte
      }
      done(statusCode === 200);
    },
    () => done(false),
  );
}

const start = performance.now() + 50;
const intervalMs = 1000 / settings.rate;

await new Promise<void>((resolve) => {
  const tick = (): void => {
    const now = performance.now();
    // Send everything that is due, including what a late timer left behind (the open loop never skips).
    while (sent < total && start + sent * intervalMs <= now) {
      send(sent, start + sent * intervalMs);
      sent += 1;
    }
    if (sent >= total) resolve();
    else setTimeout(tick, Math.max(0, Math.min(1, start + sent * intervalMs - now)));
  };
  setTimeout(tick, 50);
});

// Let the last requests finish (bounded: a server that fell behind counts its leftovers as errors).
const drainUntil = performance.now() + Math.min(10, Math.max(2, settings.durationS)) * 1000;
while (finished < total && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
closed = true;
const unfinished = measured - completed;
// An unanswered request waited at least until now: count it so, rather than leave it out of the percentiles.
const end = performance.now();
for (let i = skipped; i < total; i++) if (!answered[i]) latencies[completed++] = end - (start + i * intervalMs);
await pool.destroy().catch(() => undefined);

const sorted = latencies.slice(0, completed).sort();
const pct = (p: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
console.log(
  'OPEN_LOOP_JSON ' +
    JSON.stringify({ sent: measured, completed: measured - unfinished, errors: errors + unfinished, p50Ms: pct(50), p90Ms: pct(90), p99Ms: pct(99), maxMs: pct(100), rate: settings.rate }),
);
