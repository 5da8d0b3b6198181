// Micro-measurement (not a test): the access log's write path, the pino destination used before
// (minLength 2 KB, maxWrite 4 KB, periodic flush) versus BatchedLineWriter (one write per
// event-loop turn, 64 KiB at most), fed the same ~300-byte lines, 8 per turn (what a gateway
// serving 32 connections sees in a turn), alternating rounds in one process. Reports process CPU
// time (main thread plus the thread pool's writes) per line and the ratio of medians.
// Run: `npx tsx bench/observe/access-log-ab.ts [file]` (default /dev/null, as the bench's arms).
import { openSync } from 'node:fs';
import pinoModule from 'pino';
import { BatchedLineWriter } from '../../src/gateway/batched-line-writer.js';

const target = process.argv[2] ?? '/dev/null';
const perTurn = 8;
const turns = 2_000;
const line = (i: number) =>
  `{"time":"2026-12-07T17:00:00.000Z","pid":4242,"requestId":"0b6c1f7e-2f0e-4a36-9d4c-${String(i).padStart(12, '0')}","method":"GET","path":"/echo/resource?x=1&subscription-key=***","status":200,"durationMs":0.8,"responseBytes":512,"clientIp":"127.0.0.1","endpoint":"gateway","api":"echo-api","operation":"retrieve-resource","product":"starter","subscription":"sample","backendStatus":200,"backendMs":0.4}\n`;

interface Sink { write(line: string): unknown; close(): Promise<void> }

function oldSink(): Sink {
  const d = pinoModule.destination({ dest: openSync(target, 'a'), sync: false, minLength: 2048, maxWrite: 4096, periodicFlush: 250 });
  return { write: (l) => d.write(l), close: () => new Promise((resolve) => { d.once('close', () => resolve()); d.end(); }) };
}

function newSink(): Sink {
  const w = new BatchedLineWriter(openSync(target, 'a'), 64 * 1024, true);
  return { write: (l) => w.write(l), close: () => w.close() };
}

async function round(make: () => Sink): Promise<number> {
  const sink = make();
  const cpu = process.cpuUsage();
  for (let t = 0; t < turns; t++) {
    for (let k = 0; k < perTurn; k++) sink.write(line(t * perTurn + k));
    await new Promise((r) => setImmediate(r));
  }
  await sink.close();
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / (turns * perTurn);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
await round(oldSink);
await round(newSink);
const results = { old: [] as number[], own: [] as number[] };
for (let trial = 0; trial < 21; trial++) {
  if (trial % 2 === 0) {
    results.old.push(await round(oldSink));
    results.own.push(await round(newSink));
  } else {
    results.own.push(await round(newSink));
    results.old.push(await round(oldSink));
  }
}
const o = median(results.old);
const n = median(results.own);
console.log(`target ${target}, ${perTurn} lines per turn`);
console.log(`pino destination: ${o.toFixed(0)} ns CPU per line (median of 21 rounds)`);
console.log(`batched writer:   ${n.toFixed(0)} ns CPU per line`);
console.log(`new / old: ${(n / o).toFixed(3)}`);
