/** What the result file records about where it ran: CPU, memory, OS, Node, tool versions, commit. */
import { cpus, release, totalmem } from 'node:os';
import { runToCompletion } from './process-launcher.js';
import { findCommand } from './system-packages.js';

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  os: string;
  node: string;
  wrk: string | null;
  nginx: string | null;
}

export interface CommitInfo {
  commit: string;
  /** Whether the work tree had uncommitted changes. */
  dirty: boolean;
}

async function version(command: string, args: string[]): Promise<string | null> {
  const path = findCommand(command);
  if (!path) return null;
  const r = await runToCompletion(path, args).catch(() => null);
  if (!r) return null;
  return (r.stdout + r.stderr).split('\n').find((l) => /\d+\.\d+/.test(l))?.trim() ?? null;
}

/** Describes this machine. */
export async function machineInfo(): Promise<MachineInfo> {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cpuCount: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    wrk: await version('wrk', ['--version']),
    nginx: await version('nginx', ['-v']),
  };
}

/** The short commit of `root` and whether the tree is dirty (read-only git commands). */
export async function commitInfo(root: string): Promise<CommitInfo> {
  const head = await runToCompletion('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).catch(() => null);
  const status = await runToCompletion('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root }).catch(() => null);
  return {
    commit: head && head.code === 0 ? head.stdout.trim() : 'unknown',
    dirty: status !== null && status.code === 0 && status.stdout.trim().length > 0,
  };
}
