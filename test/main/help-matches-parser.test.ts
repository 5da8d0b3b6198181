/**
 * Every command's `--help` and its parser come from one option table: each option the help
 * shows is accepted, and each option the parser accepts is in the help.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { helpText, readCommandLine, UsageError, type CommandTable } from '../../src/main/command-options.js';
import { exportCommand } from '../../src/main/export-options.js';
import { gatewayCommand } from '../../src/main/gateway-command-options.js';
import { importCommand } from '../../src/main/import-options.js';
import { startCommand } from '../../src/main/start-options.js';

const tables = [startCommand, importCommand, exportCommand, gatewayCommand];

/** The `--name`s at the start of the help's option lines. */
function helpOptions(table: CommandTable): string[] {
  return [...helpText(table).matchAll(/^ {2}(?:-\w, )?--([a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

/** The arguments that give `name` a value (or just the switch). */
function argsFor(table: CommandTable, name: string): string[] {
  const row = table.options.find((r) => r.name === name);
  const positionals = table.positionals.map(() => 'x');
  return row?.kind === 'switch' ? [...positionals, `--${name}`] : [...positionals, `--${name}`, 'v'];
}

describe('help and parser from one table', () => {
  for (const table of tables) {
    it(`gatehouse ${table.name}: the help lists exactly the options the parser accepts`, () => {
      const listed = helpOptions(table);
      assert.deepEqual([...listed].sort(), table.options.map((r) => r.name).sort());
      for (const name of listed) assert.doesNotThrow(() => readCommandLine(table, argsFor(table, name), {}), `--${name} is in the help but refused`);
      assert.throws(() => readCommandLine(table, argsFor(table, 'not-in-the-help'), {}), UsageError);
    });
  }

  it('shows the options the old hand-written usage left out', () => {
    for (const name of ['management-https-port', 'management-certificate', 'log-format']) assert.ok(helpOptions(startCommand).includes(name), name);
    assert.ok(helpOptions(importCommand).includes('service-name'));
    assert.match(helpText(startCommand), /--gateway-port N +the gateway's HTTP port.*\n +default 8080; env GATEHOUSE_GATEWAY_PORT/);
  });

  it("takes the gateway's listener and limit options from start's table", () => {
    for (const name of ['host', 'gateway-port', 'trusted-proxies', 'max-buffered-body-size', 'expression-time-budget', 'log-level']) {
      assert.equal(gatewayCommand.options.find((r) => r.name === name), startCommand.options.find((r) => r.name === name), name);
    }
    assert.match(helpText(gatewayCommand).split('\n')[0]!, /^Usage: gatehouse gateway/);
  });
});
