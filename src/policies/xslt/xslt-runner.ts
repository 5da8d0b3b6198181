/**
 * Runs XSLT transforms on one worker thread per gateway process (xslt-worker.ts), one at a
 * time, each within a deadline: a transform still running at its deadline has its worker
 * stopped (the next job starts a new one), and the worker's heap is capped, so no stylesheet
 * can hold the gateway's event loop or exhaust its memory. Jobs wait in a bounded queue.
 */
import { Worker } from 'node:worker_threads';
import type { XsltFailureKind, XsltJob, XsltOutcome } from './xslt-job.js';

/** How a transform failed: the body, the stylesheet, the deadline, or the worker's limits. */
export class XsltRunError extends Error {
  constructor(
    readonly kind: XsltFailureKind | 'timeout' | 'resources',
    message: string,
  ) {
    super(message);
    this.name = 'XsltRunError';
  }
}

export interface XsltLimits {
  /** Longest a transform may run once the worker took it. */
  timeoutMs: number;
  /** The worker's old-generation heap, in MB. */
  heapMb: number;
  /** Jobs waiting beyond this are refused at once. */
  maxQueued: number;
}

/** The limits documented in docs/policies/xsl-transform.md. */
export const defaultXsltLimits: XsltLimits = { timeoutMs: 5000, heapMb: 128, maxQueued: 64 };

interface Pending {
  job: XsltJob;
  resolve(output: string): void;
  reject(err: XsltRunError): void;
}

// Under tsx (the tests) this module is TypeScript and so is its worker, which then needs tsx
// too (a worker does not inherit the loader hooks); built, both are .js.
const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSource ? './xslt-worker.ts' : './xslt-worker.js', import.meta.url);
/** What the worker runs: the built file, or under tsx a bootstrap that registers tsx before importing the source. */
const workerEntry: { code: string | URL; eval: boolean } = fromSource
  ? { code: `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); })`, eval: true }
  : { code: workerUrl, eval: false };

export class XsltRunner {
  private worker: Worker | undefined;
  /** Set once the worker has loaded its modules: a job's deadline starts when the worker can run it. */
  private workerReady = false;
  private running: { pending: Pending; timer: NodeJS.Timeout } | undefined;
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly limits: XsltLimits = defaultXsltLimits) {}

  /** Transforms `input`; rejects with XsltRunError. */
  transform(input: string, stylesheet: string, parameters: XsltJob['parameters'], output: { declaration: boolean; escape: boolean }): Promise<string> {
    if (this.queue.length >= this.limits.maxQueued) {
      return Promise.reject(new XsltRunError('resources', `More than ${this.limits.maxQueued} XSLT transforms are waiting.`));
    }
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, input, stylesheet, parameters, ...output }, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker (queued jobs fail). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.fail(new XsltRunError('resources', 'The XSLT worker was stopped.'));
    for (const p of this.queue.splice(0)) p.reject(new XsltRunError('resources', 'The XSLT worker was stopped.'));
    if (worker) await worker.terminate();
  }

  private pump(): void {
    if (this.running) return;
    if (this.queue.length === 0) {
      // An idle worker must not keep a gateway (or a test) alive; one with work must.
      this.worker?.unref();
      return;
    }
    const worker = this.ensureWorker();
    worker.ref();
    if (!this.workerReady) return;
    const pending = this.queue.shift()!;
    const timer = setTimeout(() => {
      this.fail(new XsltRunError('timeout', `The XSLT transform did not finish within ${this.limits.timeoutMs} ms.`));
      this.stopWorker();
    }, this.limits.timeoutMs);
    this.running = { pending, timer };
    worker.postMessage(pending.job);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerEntry.code, {
      eval: workerEntry.eval,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    worker.on('message', (outcome: XsltOutcome | 'ready') => {
      if (outcome === 'ready') {
        if (this.worker === worker) this.workerReady = true;
        return this.pump();
      }
      const running = this.running;
      if (!running || running.pending.job.id !== outcome.id) return;
      clearTimeout(running.timer);
      this.running = undefined;
      if (outcome.ok) running.pending.resolve(outcome.output);
      else running.pending.reject(new XsltRunError(outcome.kind, outcome.message));
      this.pump();
    });
    worker.on('error', (err) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const outOfMemory = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(new XsltRunError('resources', outOfMemory ? `The XSLT transform needed more than ${this.limits.heapMb} MB.` : err.message));
      this.pump();
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(new XsltRunError('resources', 'The XSLT worker stopped.'));
      this.pump();
    });
    this.worker = worker;
    this.workerReady = false;
    return worker;
  }

  /** Fails the running job, if any. */
  private fail(err: XsltRunError): void {
    const running = this.running;
    if (!running) return;
    clearTimeout(running.timer);
    this.running = undefined;
    running.pending.reject(err);
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
    this.pump();
  }
}

/** The process's runner, made on first use. */
let shared: XsltRunner | undefined;
export function sharedXsltRunner(): XsltRunner {
  return (shared ??= new XsltRunner());
}
