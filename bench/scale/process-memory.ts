/**
 * Resident memory of another process and its child processes, read from /proc (Linux); null
 * where that is unavailable. `gatehouse start` runs its gateway in a child process (a cluster
 * worker) unless `--workers 0`, so Gatehouse's memory is the sum of the two.
 */
import { readFileSync } from 'node:fs';

function vmRssKb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** VmRSS of process `pid` plus that of its direct children, in MB, or null. */
export function residentTreeMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const own = vmRssKb(pid);
  if (own === null) return null;
  const children = childPids(pid).map(vmRssKb);
  return children.reduce<number>((sum, kb) => sum + (kb ?? 0), own) / 1024;
}
