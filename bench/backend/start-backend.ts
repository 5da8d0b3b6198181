/** Starts the fixed-size backend (bench/backend/fixed-size-backend.ts) as a child process. */
import { join } from 'node:path';
import { launchProcess, nodeTsArgs, type LaunchedProcess } from '../harness/process-launcher.js';

export interface RunningBackend {
  url: string;
  process: LaunchedProcess;
}

/** Starts the backend with `processes` processes and waits for its URL. */
export async function startBackend(root: string, processes: number): Promise<RunningBackend> {
  const launched = await launchProcess(process.execPath, nodeTsArgs(join(root, 'bench/backend/fixed-size-backend.ts'), [String(processes)]), {
    cwd: root,
    name: 'backend',
    readyWhen: /^backend listening on (\S+)/,
  });
  return { url: launched.ready[1]!, process: launched };
}
