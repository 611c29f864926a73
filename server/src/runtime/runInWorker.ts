// Host side of the estimation worker: the language server calls runInWorker() and gets progress,
// results as they arrive, and cancellation, while its own thread stays free.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CommandResult } from '../results/types';
import type { Progress } from './context';
import type { HostMessage, LazyRunSettings, WorkerError, WorkerMessage } from './protocol';

/** LSP CancellationToken or AbortSignal: anything that says "stop". */
export type CancelToken =
  | AbortSignal
  | { isCancellationRequested: boolean; onCancellationRequested(cb: () => void): unknown };

export interface WorkerRunOptions {
  onProgress?: (p: Progress) => void;
  onResult?: (r: CommandResult) => void;
  token?: CancelToken;
  baseDir?: string;
  upTo?: number;
  /** Lazy data (DuckDB) settings. */
  lazy?: LazyRunSettings;
  /** Path of the bundled worker (default: worker.js beside the running bundle, i.e. dist/worker.js). */
  workerPath?: string;
  /** After a cancel, how long the worker may take to stop by itself before it is terminated. */
  cancelGraceMs?: number;
}

export interface WorkerRunOutput {
  version: 1;
  file: string;
  results: CommandResult[];
  error: WorkerError | null;
}

export function runInWorker(text: string, file: string, opts: WorkerRunOptions = {}): Promise<WorkerRunOutput> {
  return new Promise((resolvePromise) => {
    const results: CommandResult[] = [];
    let settled = false;
    let worker: Worker;
    const finish = (error: WorkerError | null, final?: CommandResult[]) => {
      if (settled) return;
      settled = true;
      void worker?.terminate();
      resolvePromise({ version: 1, file, results: final ?? results, error });
    };
    try {
      worker = new Worker(opts.workerPath ?? join(__dirname, 'worker.js'));
    } catch (e) {
      resolvePromise({ version: 1, file, results, error: { message: `cannot start the estimation worker: ${(e as Error).message}`, kind: 'internal' } });
      return;
    }
    // the statement the worker last reported: where a run stopped by terminating the worker stopped
    let lastLine: number | undefined;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        lastLine = m.progress.line;
        opts.onProgress?.(m.progress);
      }
      else if (m.type === 'result') {
        results.push(m.result);
        opts.onResult?.(m.result);
      } else if (m.type === 'done') finish(m.error, m.results);
    });
    worker.on('error', (e) => finish({ message: `estimation worker failed: ${e.message}`, kind: 'internal' }));
    worker.on('exit', (code) => finish(code === 0 ? null : { message: `estimation worker stopped (exit code ${code})`, kind: 'internal' }));
    const cancel = () => {
      if (settled) return;
      worker.postMessage({ type: 'cancel' } satisfies HostMessage);
      // a long engine call cannot look at messages: terminate if it does not stop soon
      setTimeout(() => finish({ message: 'run cancelled', kind: 'cancelled', ...(lastLine ? { range: lineRange(lastLine - 1) } : {}) }), opts.cancelGraceMs ?? 2000).unref();
    };
    const t = opts.token;
    if (t) {
      if ('aborted' in t) {
        if (t.aborted) cancel();
        else t.addEventListener('abort', cancel, { once: true });
      } else {
        if (t.isCancellationRequested) cancel();
        else t.onCancellationRequested(cancel);
      }
    }
    worker.postMessage({ type: 'run', text, file, baseDir: opts.baseDir, upTo: opts.upTo, lazy: opts.lazy } satisfies HostMessage);
  });
}

/** A range at the start of a 0-based line (offsets unknown here: only the line is reported). */
function lineRange(line: number): WorkerError['range'] {
  const at = { line, character: 0, offset: 0 };
  return { start: at, end: at };
}
