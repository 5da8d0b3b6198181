/**
 * The `gatehouse` command: dispatches to the sub-commands of DESIGN.md's command line contract.
 * Returns the process exit code (2 for usage errors).
 */
import { runExportCommand } from './export-command.js';
import { isGatewayWorker, runGatewayWorker } from './gateway-worker.js';
import { runImportCommand } from './import-command.js';
import { startGatehouse, type StartedGatehouse } from './start-command.js';
import { parseStartOptions, UsageError } from './start-options.js';

const usage = `Usage:
  gatehouse start   [--data DIR] [--config APIOPS_DIR] [--host ADDR] [--service-name NAME]
                    [--gateway-port N] [--gateway-https-port N] [--gateway-certificate HOST=CERT,KEY]...
                    [--management-port N] [--portal-port N] [--admin-token TOKEN]
                    [--store sqlite|postgres://...] [--redis redis://...] [--watch] [--workers N]
                    [--trusted-proxies CIDR,CIDR...] [--access-log stdout|stderr|off|FILE] [--metrics on|off]
  gatehouse import  APIOPS_DIR [--data DIR] [--store sqlite|postgres://...] [--mode merge|replace]
  gatehouse export  OUT_DIR [--data DIR] [--store sqlite|postgres://...] [--export-secrets]
  gatehouse gateway --management-url URL --gateway-token TOKEN
Every flag has a GATEHOUSE_* environment twin (--gateway-port → GATEHOUSE_GATEWAY_PORT).
--watch reloads the --config folder when it changes; SIGHUP reloads it at any time.
--workers N runs N gateway processes on the same ports, sharing counters (docs/workers.md).
--access-log stdout|stderr|off|FILE (default stdout): one JSON line per gateway request.
--metrics on|off (default on): GET /metrics on the management port, admin token required (docs/observability.md).
--trusted-proxies lists the proxies whose X-Forwarded-For names the caller's IP; without it the header is ignored.`;

/** Runs the CLI with the given arguments. */
export async function runCli(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'start':
        // A `--workers` gateway process runs the same command line (so the same access log and
        // metrics options); the primary gives it its work.
        return isGatewayWorker() ? await runGatewayWorker(parseStartOptions(rest).observability) : await start(rest);
      case 'import':
        return await runImportCommand(rest, (line) => console.log(line));
      case 'export':
        return await runExportCommand(rest, (line) => console.log(line));
      case 'gateway':
        console.error(`gatehouse ${command}: this command needs the management plane, which is not built yet.`);
        return 2;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(usage);
        return command === undefined ? 2 : 0;
      default:
        console.error(`Unknown command '${command}'.\n${usage}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`gatehouse ${command}: ${err.message}\n${usage}`);
      return 2;
    }
    console.error(`gatehouse ${command}: ${(err as Error).message}`);
    return 1;
  }
}

async function start(args: readonly string[]): Promise<number> {
  const options = parseStartOptions(args);
  // SIGHUP reloads the configuration folder, the usual daemon convention. The handler is in place
  // before the banner is printed: a SIGHUP sent as soon as the banner appears must not find the
  // default action (which ends the process). One during start-up has nothing to reload yet.
  let running: StartedGatehouse | null = null;
  const hangUp = () => void running?.reload('SIGHUP');
  process.on('SIGHUP', hangUp);
  try {
    running = await startGatehouse(options, (line) => console.log(line));
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } finally {
    process.off('SIGHUP', hangUp);
  }
  await running.close();
  return 0;
}
