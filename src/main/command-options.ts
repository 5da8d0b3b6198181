/**
 * The option tables of the `gatehouse` commands and the one reader of them: each command
 * describes its options once (name, environment twin, value, default, description) and both
 * the parser and the `--help` text are made from that description, so they cannot drift.
 */
import { parseArgs } from 'node:util';

/** One option of a command. */
export interface OptionRow {
  /** The long name without dashes: `gateway-port`. */
  name: string;
  /** A one-letter alias (`h` for `--help`). */
  short?: string;
  /** `value` takes one text, `list` may be given several times, `switch` takes none. */
  kind: 'value' | 'list' | 'switch';
  /** The value's placeholder in the help: `N`, `DIR`, `on|off`. */
  valueName?: string;
  /**
   * Whether the `GATEHOUSE_*` environment variable of the same name sets the option when the
   * command line does not. Off for options a stray variable must not turn on (`--mode`).
   */
  environment: boolean;
  /** A list option's separator in its environment variable (`;` for certificates). */
  environmentSeparator?: string;
  /** The default, as the help shows it. */
  defaultText?: string;
  description: string;
}

/** A command's positional argument. */
export interface PositionalRow {
  name: string;
  description: string;
}

/** A command and its options. */
export interface CommandTable {
  name: string;
  summary: string;
  positionals: PositionalRow[];
  options: OptionRow[];
  /** Paragraphs printed after the options. */
  notes?: string[];
  /** False for a command that is not built: its help says so first. */
  built: boolean;
}

/** A command-line mistake; the CLI prints it and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--help`/`-h`: every command has it. */
export const helpOption: OptionRow = { name: 'help', short: 'h', kind: 'switch', environment: false, description: 'show this help and exit' };

/** The environment variable twin of an option: `gateway-port` → `GATEHOUSE_GATEWAY_PORT`. */
export function environmentTwin(name: string): string {
  return 'GATEHOUSE_' + name.toUpperCase().replace(/-/g, '_');
}

/** A command line read against its table: values from the arguments, else the environment. */
export interface CommandLine {
  /** `--help` or `-h` was given: nothing else was checked. */
  help: boolean;
  positionals: string[];
  /** A value option's text: the command line's, else its environment twin's (empty counts as unset). */
  text(name: string): string | undefined;
  /** Where `text(name)` came from, for messages: `--gateway-port` or `GATEHOUSE_GATEWAY_PORT`. */
  source(name: string): string;
  /** A switch: given on the command line, or its environment twin is true/1/yes. */
  switchOn(name: string): boolean;
  /** A list option's values: every use on the command line, else its environment twin split. */
  list(name: string): string[];
}

/** Reads `args` (after the command name) against the table; throws UsageError for a mistake. */
export function readCommandLine(table: CommandTable, args: readonly string[], env: NodeJS.ProcessEnv = process.env): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        table.options.map((row) => [
          row.name,
          { type: row.kind === 'switch' ? ('boolean' as const) : ('string' as const), multiple: row.kind === 'list', ...(row.short ? { short: row.short } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    // Node's advice about positionals that start with '-' does not help here: no command takes one.
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument[\s\S]*$/, '.'));
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const rowNamed = (name: string, kind: OptionRow['kind']): OptionRow => {
    const row = table.options.find((r) => r.name === name);
    // A programming mistake, not the user's: the command reads an option its table lacks.
    if (!row || row.kind !== kind) throw new Error(`gatehouse ${table.name} has no ${kind} option --${name}`);
    return row;
  };
  const fromEnvironment = (row: OptionRow): string | undefined => (row.environment ? env[environmentTwin(row.name)] || undefined : undefined);
  const line: CommandLine = {
    help: values.help === true,
    positionals: parsed.positionals,
    text(name) {
      const row = rowNamed(name, 'value');
      const given = values[name];
      return typeof given === 'string' ? given : fromEnvironment(row);
    },
    source(name) {
      const row = table.options.find((r) => r.name === name);
      if (row && values[name] === undefined && fromEnvironment(row) !== undefined) return environmentTwin(name);
      return `--${name}`;
    },
    switchOn(name) {
      const row = rowNamed(name, 'switch');
      if (values[name] === true) return true;
      const text = fromEnvironment(row);
      if (text === undefined || /^(false|0|no)$/i.test(text)) return false;
      if (/^(true|1|yes)$/i.test(text)) return true;
      throw new UsageError(`Invalid ${environmentTwin(name)} '${text}': expected true or false.`);
    },
    list(name) {
      const row = rowNamed(name, 'list');
      const given = values[name];
      if (Array.isArray(given)) return given;
      const text = fromEnvironment(row);
      return text === undefined ? [] : text.split(row.environmentSeparator ?? ',').filter((item) => item.trim() !== '');
    },
  };
  if (line.help) return line;
  const expected = table.positionals;
  if (parsed.positionals.length < expected.length) {
    const missing = expected[parsed.positionals.length]!;
    throw new UsageError(`${missing.description} (${missing.name}) is missing`);
  }
  if (parsed.positionals.length > expected.length) throw new UsageError(`unexpected argument '${parsed.positionals[expected.length]}'`);
  return line;
}

/** `gatehouse start [options]`, `gatehouse import APIOPS_DIR [options]`. */
export function usageLine(table: CommandTable): string {
  return `Usage: gatehouse ${[table.name, ...table.positionals.map((p) => p.name)].join(' ')} [options]`;
}

const column = 34;

/** The `--help` text of a command, made from its table. */
export function helpText(table: CommandTable): string {
  const lines: string[] = [];
  if (!table.built) lines.push(`gatehouse ${table.name} is not built yet: running it only prints an error. The options below are the planned ones.`, '');
  lines.push(usageLine(table), '', `${table.summary}`, '');
  if (table.positionals.length > 0) {
    lines.push('Arguments:');
    for (const p of table.positionals) lines.push(entry(p.name, p.description));
    lines.push('');
  }
  lines.push('Options:');
  for (const row of table.options) {
    const flag = `${row.short ? `-${row.short}, ` : ''}--${row.name}${row.valueName ? ` ${row.valueName}` : ''}${row.kind === 'list' ? ' (repeatable)' : ''}`;
    lines.push(entry(flag, row.description));
    const details: string[] = [];
    if (row.defaultText !== undefined) details.push(`default ${row.defaultText}`);
    if (row.environment) details.push(`env ${environmentTwin(row.name)}${row.environmentSeparator ? ` (${row.environmentSeparator}-separated)` : ''}`);
    if (details.length > 0) lines.push(' '.repeat(column) + details.join('; '));
  }
  for (const note of table.notes ?? []) lines.push('', note);
  return lines.join('\n');
}

function entry(left: string, right: string): string {
  const head = `  ${left}`;
  return head.length < column ? head.padEnd(column) + right : `${head}\n${' '.repeat(column)}${right}`;
}
