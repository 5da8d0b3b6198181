/** Resident memory of another process, read from /proc (Linux); null where that is unavailable. */
import { readFileSync } from 'node:fs';

/** VmRSS of process `pid` in MB, or null. */
export function residentMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
