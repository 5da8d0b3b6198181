/**
 * One harness run: start the backend and the selected arms, preflight them, run the selected
 * cases in order (each interleaves the arms itself), stop everything, print the Markdown report
 * on stdout (progress goes to stderr) and write the JSON record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARMS } from '../arms/index.js';
import { startBackend, type RunningBackend } from '../backend/start-backend.js';
import { CASES } from '../cases/index.js';
import { commitInfo, machineInfo } from './machine-info.js';
import { parseHarnessOptions, USAGE } from './options.js';
import { preflight } from './preflight.js';
import { writeResultsFile } from './results-file.js';
import { renderReport } from './table-printer.js';
import type { Arm, DetailTable, Figure, RunningArm, Sample } from './types.js';

/** Runs the harness with command-line `args`; returns the process exit code. */
export async function runHarness(args: readonly string[], root: string): Promise<number> {
  let options;
  try {
    options = parseHarnessOptions(args, root, ARMS.map((a) => a.id), CASES.map((c) => c.id));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const opts = options;
  const started = new Date();
  const log = (line: string): void => void process.stderr.write(`[bench +${((Date.now() - started.getTime()) / 1000).toFixed(1)}s] ${line}\n`);
  const workRoot = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const arms: Array<{ arm: Arm; running: RunningArm }> = [];
  let backend: RunningBackend | null = null;
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(arms.map((a) => a.running.stop()));
    await backend?.process.stop();
    rmSync(workRoot, { recursive: true, force: true });
  };
  const onSignal = (): void => {
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const samples: Sample[] = [];
  const figures: Figure[] = [];
  const tables: DetailTable[] = [];
  try {
    backend = await startBackend(root, opts.backendProcesses);
    log(`backend at ${backend.url} (${opts.backendProcesses} process(es))`);
    for (const id of opts.arms) {
      const arm = ARMS.find((a) => a.id === id)!;
      log(`starting ${arm.id}`);
      const running = await arm.start({ backendUrl: backend.url, workDir: join(workRoot, arm.id), root, install: opts.install, log });
      arms.push({ arm, running });
      await preflight(arm.label, running, opts.sizes);
      log(`${arm.id} ready at ${running.baseUrl}, preflight passed`);
    }
    for (const id of opts.cases) {
      const benchCase = CASES.find((c) => c.id === id)!;
      log(`case ${benchCase.id}: ${benchCase.label}`);
      const report = await benchCase.run({
        options: opts,
        arms,
        backendUrl: backend.url,
        root,
        samples,
        record: (s) => void samples.push(s),
        log,
      });
      figures.push(...report.figures);
      tables.push(...report.tables);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await stopAll();
  }

  const machine = await machineInfo();
  const commit = await commitInfo(root);
  const selectedArms = arms.map((a) => a.arm);
  const armTable: DetailTable = {
    title: 'Arms',
    header: ['arm', 'id', 'configuration'],
    rows: selectedArms.map((a) => [a.label, a.id, a.description]),
  };
  const notes = [
    ...selectedArms.flatMap((a) => a.notes ?? []),
    `This machine has ${machine.cpuCount} CPU(s) (${machine.cpuModel}); the load generator, the backend and the arm under test share them, so absolute numbers mean little: read the ratios.`,
  ];
  const preamble = [
    `${opts.quick ? 'Quick run (smoke check: too short for conclusions)' : 'Full run'}, ${started.toISOString()}, commit ${commit.commit}${commit.dirty ? ' (uncommitted changes)' : ''}, Node ${machine.node}.`,
    `Rounds: ${opts.rounds}, interleaved (every arm once per round and size). Sizes: ${opts.sizes.map((s) => s.label).join(', ')}.`,
  ];
  process.stdout.write(renderReport('Gatehouse benchmark', preamble, figures, [...tables, armTable], notes));
  const path = writeResultsFile(opts.outDir, started, commit.commit, opts.quick, {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    commit,
    machine,
    options: { ...opts, sizes: opts.sizes.map((s) => s.label) },
    arms: selectedArms.map((a) => ({ id: a.id, label: a.label, description: a.description, notes: a.notes ?? [] })),
    figures,
    samples,
  });
  log(`results written to ${path}`);
  return 0;
}
