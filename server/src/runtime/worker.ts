// The estimation worker (bundled to dist/worker.js): runs a spec in a worker_threads Worker so the
// language server never blocks, posting progress and each result as it comes, and stopping at the
// next statement (or placebo draw) when the host sends `cancel`.
import { parentPort } from 'node:worker_threads';
import { parse } from '../../../grammar/src/index';
import { runProgram } from './interpreter';
import type { HostMessage, WorkerMessage } from './protocol';

const port = parentPort;
if (port) {
  let controller: AbortController | null = null;
  const post = (m: WorkerMessage) => port.postMessage(m);
  port.on('message', (msg: HostMessage) => {
    if (msg.type === 'cancel') {
      controller?.abort();
      return;
    }
    if (msg.type !== 'run') return;
    controller = new AbortController();
    void runRequest(msg, controller.signal, post);
  });
}

async function runRequest(msg: Extract<HostMessage, { type: 'run' }>, signal: AbortSignal, post: (m: WorkerMessage) => void): Promise<void> {
  try {
    const program = parse(msg.text);
    if (program.errors.length) {
      const e = program.errors[0];
      post({ type: 'done', results: [], error: { message: e.message, range: e.range, kind: 'usage' } });
      return;
    }
    const out = await runProgram(program, {
      file: msg.file,
      baseDir: msg.baseDir,
      upTo: msg.upTo,
      duck: { memoryLimit: msg.lazy?.memoryLimit, tempDirectory: msg.lazy?.tempDirectory },
      lazyThresholdBytes: msg.lazy?.thresholdBytes,
      signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
      onResult: (result) => post({ type: 'result', result }),
    });
    post({ type: 'done', results: out.results, error: out.error ? { message: out.error.message, range: out.error.range, kind: out.error.kind } : null });
  } catch (e) {
    post({ type: 'done', results: [], error: { message: `internal error: ${(e as Error)?.message ?? String(e)}`, kind: 'internal' } });
  }
}
