/**
 * The program of a gateway worker process: gateway-workers.ts forks this file, not the command
 * line that started the primary, so the gateway runs in its own process whether `start` came
 * from the CLI or from a program embedding `startGatehouse`. Run by hand it refuses.
 */
import { isGatewayWorker, runGatewayWorker } from './gateway-worker.js';

if (!isGatewayWorker()) {
  console.error('gatehouse: this file runs a gateway worker process forked by `gatehouse start`; run `gatehouse start` instead.');
  process.exitCode = 2;
} else {
  runGatewayWorker().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`gatehouse gateway worker: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
