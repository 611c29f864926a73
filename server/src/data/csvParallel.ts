// CSV parsing on two threads: the main thread parses the first half of the rows while a worker
// (dist/csvWorker.js) parses the second half of the same shared buffer; the halves are joined in row
// order. Only where a split cannot change the result: UTF-8 text read into shared memory with no
// quote character in the data rows (a quoted field could hold a line break, so a byte offset would not
// be known to start a row), and both halves agreeing on every column's type. Anything else, and any
// error in the second half, goes to the one-thread parser, which also reports the file's first error.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { assemble, estimateRows, parseBody, parseCsv, parseHeader, type CsvBody, type CsvOptions, type CsvResult } from './csv';
import { CSV_WORKER_MARKER, type CsvBodyRequest, type CsvRowsReply, type CsvShareReply, type CsvShareRequest, type CsvSecondPassRequest, type CsvSecondReply, type CsvWorkerReply, type CsvWorkerRequest } from './csvWorker';

/** Below this many bytes one thread is as fast (starting the worker costs ~20-40 ms). */
export const PARALLEL_MIN_BYTES = 8 << 20;

/** dist/csvWorker.js beside the running bundle, or in a dist/ folder above it. */
function findCsvWorker(from = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    for (const p of [join(dir, 'csvWorker.js'), join(dir, 'dist', 'csvWorker.js')]) if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return undefined;
}

/**
 * Whether a second thread would get a core of its own: fewer runnable tasks (the one-minute load
 * average) than cores. On a busy machine it would not: the threads of one process share its CPU
 * share (Linux schedules a session's tasks as one group), and the worker's start-up (~50-100 ms of
 * CPU) would only be added to the load.
 */
export function spareCore(): boolean {
  return loadavg()[0] < availableParallelism() - 0.5;
}

/** A worker ready to take half a file, started early so that its start-up overlaps reading the file; null without the bundle. */
export function startCsvWorker(): Worker | null {
  const path = findCsvWorker();
  if (!path) return null;
  try {
    const w = new Worker(path, { workerData: CSV_WORKER_MARKER });
    w.unref();
    w.on('error', () => undefined); // a failed worker answers nothing: see the 'exit' handling below
    return w;
  } catch {
    return null;
  }
}

export function askWorker(worker: Worker, req: CsvSecondPassRequest): Promise<CsvSecondReply>;
export function askWorker(worker: Worker, req: CsvShareRequest): Promise<CsvShareReply>;
export function askWorker(worker: Worker, req: CsvBodyRequest): Promise<CsvRowsReply>;
export function askWorker(worker: Worker, req: CsvWorkerRequest): Promise<CsvWorkerReply> {
  // replies carry their request's id: a reply not awaited (csvStream.ts) must not answer the next request
  const id = ++asked;
  return new Promise((resolve) => {
    const onExit = () => resolve({ ok: false });
    const onMessage = (r: CsvWorkerReply & { id?: number }) => {
      if (r.id !== id) return;
      worker.off('exit', onExit);
      worker.off('message', onMessage);
      resolve(r);
    };
    worker.once('exit', onExit);
    worker.on('message', onMessage);
    worker.postMessage({ ...req, id });
  });
}

let asked = 0;

/** parseCsv, on two threads when `raw` lies in shared memory, is large and the split is safe. The worker is terminated here. */
export async function parseCsvParallel(raw: Buffer, file: string, opts: CsvOptions, worker: Worker | null): Promise<CsvResult> {
  try {
    const h = parseHeader(raw, file, opts);
    const b = h.bytes;
    const n = b.length;
    const shared = b.buffer instanceof SharedArrayBuffer ? b.buffer : null;
    if (!worker || !shared || n - h.bodyStart < PARALLEL_MIN_BYTES || b.indexOf(34, h.bodyStart) >= 0) return parseCsv(raw, file, opts);
    const nl = b.indexOf(10, h.bodyStart + ((n - h.bodyStart) >> 1));
    if (nl < 0 || nl + 1 >= n) return parseCsv(raw, file, opts);
    const split = nl + 1;
    // Each numeric column is one shared array: the first half's rows from the start, the second half's
    // after room for the first (estimated, with a margin); joining is then a move within the array.
    const room1 = Math.ceil(estimateRows(b, split, h.bodyStart) * 1.05) + 1024;
    const room2 = Math.ceil(estimateRows(b, n, split) * 1.05) + 1024;
    const columns = Array.from({ length: h.ncol }, () => new SharedArrayBuffer((room1 + room2) * 8));
    const pending = askWorker(worker, { kind: 'body', bytes: shared, offset: b.byteOffset, length: n, start: split, end: n, ncol: h.ncol, separator: h.separator, file, columns, skip: room1, room: room2 });
    const first = parseBody(b, h.bodyStart, split, h.ncol, h.separator, file, room1, (c) => new Float64Array(columns[c], 0, room1));
    const second = await pending;
    if (!second.ok || second.numeric.some((k, c) => k !== first.numeric[c])) return parseCsv(raw, file, opts);
    return { ...assemble(h, join2(first, second, columns, room1)), threads: 2 };
  } finally {
    if (worker) void worker.terminate();
  }
}

/** The second half's rows appended to the first's (numbers within their shared column when both halves fit). */
function join2(a: CsvBody, b: CsvBody, columns: SharedArrayBuffer[], room1: number): CsvBody {
  const n1 = a.nrows;
  const n2 = b.nrows;
  const total = n1 + n2;
  const nums = a.nums.map((x, c) => {
    if (!x) return null;
    const y = b.nums[c]!;
    if (x.buffer === columns[c] && total * 8 <= columns[c].byteLength) {
      const whole = new Float64Array(columns[c]);
      if (y.buffer === columns[c]) whole.copyWithin(n1, room1, room1 + n2);
      else whole.set(y.subarray(0, n2), n1);
      return whole;
    }
    const out = x.length >= total ? x : grow(x, n1, total);
    out.set(y.subarray(0, n2), n1);
    return out;
  });
  const levels: (string[] | null)[] = a.levels.map(() => null);
  const codes = a.codes.map((x, c) => {
    if (!x) return null;
    const out = x.length >= total ? x : grow(x, n1, total);
    // Level numbers as the one-thread parse gives them, in order of first appearance along its coding
    // order: the first half from the row where the column turned to text, then every row of the
    // second half, then the first half's earlier rows (re-read last).
    const merged: string[] = (levels[c] = []);
    const index = new Map<string, number>();
    const la = a.levels[c]!;
    const lb = b.levels[c]!;
    const mapA = new Int32Array(la.length).fill(-1);
    const mapB = new Int32Array(lb.length).fill(-1);
    const visit = (k: number, map: Int32Array, lv: string[]): number => {
      if (k < 0) return -1;
      let g = map[k];
      if (g < 0) {
        const s = lv[k];
        let h = index.get(s);
        if (h === undefined) {
          h = merged.length;
          merged.push(s);
          index.set(s, h);
        }
        g = map[k] = h;
      }
      return g;
    };
    const r0 = Math.max(0, a.switchRow[c]);
    for (let i = r0; i < n1; i++) out[i] = visit(out[i], mapA, la);
    const src = b.codes[c]!;
    for (let i = 0; i < n2; i++) out[n1 + i] = visit(src[i], mapB, lb);
    for (let i = 0; i < r0; i++) out[i] = visit(out[i], mapA, la);
    return out;
  });
  return { nrows: total, numeric: a.numeric, nums, codes, levels, switchRow: a.switchRow, overflow: a.overflow + b.overflow };
}

function grow<T extends Float64Array | Int32Array>(x: T, used: number, size: number): T {
  const out = new (x.constructor as { new (n: number): T })(size);
  out.set(x.subarray(0, used));
  return out;
}
