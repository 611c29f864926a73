// How the language server runs a spec: in the runtime's estimation worker (runInWorker), so that
// estimation never blocks the server's request loop; with the run's statement limit, progress and
// cancellation. When no worker bundle can be found (a test entry outside dist/), it falls back to
// the interpreter in-process.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from '../../../grammar/src/index';
import { runProgram } from '../runtime/interpreter';
import { runInWorker } from '../runtime/runInWorker';
import type { Progress } from '../runtime/context';
import type { CommandResult } from '../results/types';
import type { LazyRunSettings } from '../runtime/protocol';

export interface SpecRunOptions {
  upTo?: number; // last statement index to run
  signal: AbortSignal;
  onProgress?: (p: Progress) => void;
  onResult?: (r: CommandResult) => void;
  lazy?: LazyRunSettings;
}

export interface SpecRunOutcome {
  file: string;
  results: CommandResult[];
  /** Run-time error that stopped the run (0-based position). */
  error?: { message: string; line: number; character: number };
}

export type SpecRunner = (text: string, file: string, opts: SpecRunOptions) => Promise<SpecRunOutcome>;

/** dist/worker.js beside this bundle, or in a dist/ folder above it. */
export function findWorker(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    for (const p of [join(dir, 'worker.js'), join(dir, 'dist', 'worker.js')]) if (existsSync(p) && !p.endsWith(join('lsp', 'worker.js'))) return p;
    dir = dirname(dir);
  }
  return undefined;
}

export const runSpec: SpecRunner = async (text, file, opts) => {
  const workerPath = findWorker();
  if (workerPath) {
    const out = await runInWorker(text, file, { workerPath, upTo: opts.upTo, token: opts.signal, onProgress: opts.onProgress, onResult: opts.onResult, baseDir: dirname(file), lazy: opts.lazy });
    const e = out.error;
    return { file: out.file, results: out.results, error: e ? { message: e.message, line: e.range?.start.line ?? 0, character: e.range?.start.character ?? 0 } : undefined };
  }
  const lazy = opts.lazy ?? {};
  const out = await runProgram(parse(text), { file, baseDir: dirname(file), upTo: opts.upTo, signal: opts.signal, onProgress: opts.onProgress, onResult: opts.onResult, duck: { memoryLimit: lazy.memoryLimit, tempDirectory: lazy.tempDirectory }, lazyThresholdBytes: lazy.thresholdBytes });
  const e = out.error;
  return {
    file: out.file,
    results: out.results,
    error: e ? { message: e.message, line: e.range?.start.line ?? 0, character: e.range?.start.character ?? 0 } : undefined,
  };
};
