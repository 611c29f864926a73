// The second thread of a parallel CSV parse (csvParallel.ts, csvStream.ts), bundled on its own to
// dist/csvWorker.js so that it starts in milliseconds: parses the rows of its byte range of the shared
// file buffer ('body', the columns posted back with their buffers transferred), or the chunks of the
// file it claims ('share', csvRange.ts), or profiles the columns it claims ('second').
import { parentPort, workerData } from 'node:worker_threads';
import { parseBody, type CsvBody, type Separator } from './csv';
import { FREE, WORKER, parseShare, type ChunkPlan, type ShareResult } from './csvRange';
import { emptySecond, secondPass, type SecondPass } from './moments';

export const CSV_WORKER_MARKER = 'panelspec-csv-worker';

/** Rows [start, end) of the text in the shared `bytes`. */
export interface CsvBodyRequest {
  kind: 'body';
  bytes: SharedArrayBuffer;
  offset: number; // of the text in `bytes`
  length: number;
  start: number;
  end: number;
  /** Per column, shared memory whose part after `skip` rows (`room` rows) takes this half's numbers. */
  columns: SharedArrayBuffer[];
  skip: number;
  room: number;
  ncol: number;
  separator: Separator;
  file: string;
}

/** Chunks of the file, claimed from the back (csvRange.ts). */
export interface CsvShareRequest {
  kind: 'share';
  plan: ChunkPlan;
  file: string;
}

/** The profile's second pass over rows [0, rows) of the shared columns it claims from the back. */
export interface CsvSecondPassRequest {
  kind: 'second';
  columns: SharedArrayBuffer[];
  /** Int32 per column: FREE, HOST or WORKER. */
  claims: SharedArrayBuffer;
  rows: number;
  mean: number[];
  min: number[];
  max: number[];
}

export type CsvWorkerRequest = CsvBodyRequest | CsvShareRequest | CsvSecondPassRequest;

/** The rows of a 'body' request. */
export type CsvRowsReply = ({ ok: true } & CsvBody) | { ok: false };
/** A 'share' request's chunks (their rows are in the plan's columns). */
export type CsvShareReply = { ok: true; share: ShareResult } | { ok: false };
/** A 'second' request: per column, the pass when this thread claimed it. */
export type CsvSecondReply = { ok: true; second: (SecondPass | null)[] } | { ok: false };
export type CsvWorkerReply = CsvRowsReply | CsvShareReply | CsvSecondReply;

function serve(req: CsvWorkerRequest): { reply: CsvWorkerReply; transfer: ArrayBuffer[] } {
  if (req.kind === 'second') {
    const claims = new Int32Array(req.claims);
    const second: (SecondPass | null)[] = req.columns.map(() => null);
    for (let c = req.columns.length - 1; c >= 0; c--) {
      if (Atomics.compareExchange(claims, c, FREE, WORKER) !== FREE) break;
      second[c] = secondPass(new Float64Array(req.columns[c]), 0, req.rows, req.mean[c], req.min[c], req.max[c], emptySecond());
    }
    return { reply: { ok: true, second }, transfer: [] };
  }
  if (req.kind === 'share') {
    const share = parseShare(req.plan, WORKER, req.file);
    return { reply: share ? { ok: true, share } : { ok: false }, transfer: [] };
  }
  const view = (c: number) => new Float64Array(req.columns[c], req.skip * 8, req.room);
  const b = Buffer.from(req.bytes, req.offset, req.length);
  const body = parseBody(b, req.start, req.end, req.ncol, req.separator, req.file, req.room, view);
  // arrays of their own (a column that needed more room, string codes) go back whole, transferred
  // (no copy); the host reads the first nrows. Views into the shared columns are just shared.
  const transfer: ArrayBuffer[] = [];
  for (const a of [...body.nums, ...body.codes]) if (a && a.buffer instanceof ArrayBuffer) transfer.push(a.buffer);
  return { reply: { ok: true, ...body }, transfer };
}

if (parentPort && workerData === CSV_WORKER_MARKER) {
  const port = parentPort;
  port.on('message', (req: CsvWorkerRequest & { id: number }) => {
    let out: { reply: CsvWorkerReply; transfer: ArrayBuffer[] } = { reply: { ok: false }, transfer: [] };
    try {
      out = serve(req);
    } catch {
      // the caller parses the whole file again in order, which reports the first error in the file
    }
    port.postMessage({ ...out.reply, id: req.id }, out.transfer);
  });
}
