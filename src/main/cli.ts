/**
 * The `gatehouse` command: dispatches to the sub-commands of DESIGN.md's command line contract,
 * answers `--help` (from each command's option table) and `--version`. Returns the process exit
 * code (2 for usage errors). A command's code is loaded only when it runs, so `--help`,
 * `--version` and usage errors answer without loading the gateway and the stores.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '../core/logger.js';
import { helpText, readCommandLine, usageLine, UsageError, type CommandTable } from './command-options.js';
import { exportCommand } from './export-options.js';
import { gatewayCommand, gatewayOptionsFrom, type GatewayOptions } from './gateway-command-options.js';
import { importCommand } from './import-options.js';
import { resolveLogFormat, type LogOptions } from './log-options.js';
import { startCommand, startOptionsFrom, type StartOptions } from './start-options.js';
import { traceCommand } from './trace-options.js';

const commands: Record<string, CommandTable> = { start: startCommand, import: importCommand, export: exportCommand, trace: traceCommand, gateway: gatewayCommand };

/** The version in package.json (two folders up from both src/main and dist/main). */
export function gatehouseVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** `gatehouse --help`: the commands and where their options are. */
export function overviewText(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length)) + 2;
  return [
    `Gatehouse ${gatehouseVersion()}: a self-hostable API gateway speaking Azure API Management's model.`,
    '',
    'Usage: gatehouse <command> [options]',
    '',
    'Commands:',
    ...Object.values(commands).map((table) => `  ${table.name.padEnd(width)}${table.built ? '' : '(not built yet) '}${table.summary}`),
    '',
    "Run 'gatehouse <command> --help' for a command's options; 'gatehouse --version' prints the version.",
    'An option marked with an env variable can be set by it (--gateway-port: GATEHOUSE_GATEWAY_PORT); the command line wins.',
  ].join('\n');
}

/** Runs the CLI with the given arguments. */
export async function runCli(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    console.error(overviewText());
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    const table = topic === undefined ? undefined : commands[topic];
    if (topic !== undefined && !table) {
      console.error(`Unknown command '${topic}'.\n\n${overviewText()}`);
      return 2;
    }
    console.log(table ? helpText(table) : overviewText());
    return 0;
  }
  if (command === '--version' || command === '-v') {
    console.log(gatehouseVersion());
    return 0;
  }
  const table = commands[command];
  if (!table) {
    console.error(`Unknown command '${command}'.\n\n${overviewText()}`);
    return 2;
  }
  try {
    const line = readCommandLine(table, rest);
    if (line.help) {
      console.log(helpText(table));
      return 0;
    }
    switch (command) {
      case 'start': {
        return await start(startOptionsFrom(line));
      }
      case 'import':
        return await (await import('./import-command.js')).runImportCommand(rest, (text) => console.log(text));
      case 'export':
        return await (await import('./export-command.js')).runExportCommand(rest, (text) => console.log(text));
      case 'trace':
        return await (await import('./trace-command.js')).runTraceCommand(rest, (text) => console.log(text));
      case 'gateway':
        return await gateway(gatewayOptionsFrom(line));
      default:
        console.error(`gatehouse ${command}: this command is not built yet (see 'gatehouse ${command} --help'); 'gatehouse start' runs the gateway.`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`gatehouse ${command}: ${err.message}\n${usageLine(table)}\nRun 'gatehouse ${command} --help' for the options.`);
      return 2;
    }
    console.error(`gatehouse ${command}: ${(err as Error).message}`);
    return 1;
  }
}

async function loggerFor(logging: LogOptions): Promise<Logger> {
  const { createLogger } = await import('../core/logger.js');
  return createLogger(logging.level, resolveLogFormat(logging.format));
}

async function start(options: StartOptions): Promise<number> {
  return serveUntilStopped('start', async (print) => {
    const { startGatehouse } = await import('./start-command.js');
    return startGatehouse(options, print, await loggerFor(options.logging));
  });
}

async function gateway(options: GatewayOptions): Promise<number> {
  return serveUntilStopped('gateway', async (print) => {
    const { startSelfHostedGateway } = await import('./self-hosted-gateway.js');
    return startSelfHostedGateway(options, print, await loggerFor(options.logging), gatehouseVersion());
  });
}

/** What a serving command runs until it is stopped. */
interface Serving {
  reload(reason: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Runs a serving command (`start`, `gateway`) until SIGINT or SIGTERM; SIGHUP reloads it. */
async function serveUntilStopped(command: string, begin: (print: (line: string) => void) => Promise<Serving>): Promise<number> {
  // SIGHUP reloads the configuration, the usual daemon convention. Every handler is in
  // place before the banner is printed: a signal sent as soon as the banner appears must not find
  // the default action (which ends the process at once). Before the banner, Ctrl+C still ends a
  // start-up at once (a long folder load can be abandoned); from the banner on, it stops cleanly.
  let running: Serving | null = null;
  let bannerShown = false;
  const hangUp = () => void running?.reload('SIGHUP');
  let stopSignal!: (signal: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((resolve) => (stopSignal = resolve));
  const onStop = (signal: NodeJS.Signals) => {
    if (bannerShown) return stopSignal(signal);
    console.error(`gatehouse ${command}: stopped during start-up (${signal === 'SIGINT' ? 'Ctrl+C' : signal}).`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGHUP', hangUp);
  process.once('SIGINT', onStop);
  process.once('SIGTERM', onStop);
  let signal: NodeJS.Signals;
  try {
    const print = (line: string) => {
      bannerShown = true;
      console.log(line);
    };
    running = await begin(print);
    signal = await stopped;
  } finally {
    process.off('SIGHUP', hangUp);
    process.off('SIGINT', onStop);
    process.off('SIGTERM', onStop);
  }
  await running.close();
  // On a terminal Ctrl+C echoes `^C` where the cursor is: the goodbye goes on a line of its own.
  const newLine = signal === 'SIGINT' && process.stdout.isTTY ? '\n' : '';
  console.log(`${newLine}Gatehouse stopped (${signal === 'SIGINT' ? 'Ctrl+C' : signal}).`);
  return 0;
}
