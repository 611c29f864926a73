// The second thread of a parallel CSV parse (csvParallel.ts, csvStream.ts), bundled on its own to
// dist/csvWorker.js so that it starts in milliseconds: parses the rows of its byte range, either of
// the shared file buffer ('body') or read from the file itself ('range'), and posts the columns back
// with their buffers transferred.
import { parentPort, workerData } from 'node:worker_threads';
import { parseBody, type CsvBody, type Separator } from './csv';
import { numericBody, parsePathRange } from './csvRange';
import { emptySecond, secondPass, type FirstPass, type SecondPass } from './moments';

export const CSV_WORKER_MARKER = 'panelspec-csv-worker';

interface RowsRequest {
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

/** Rows [start, end) of the text in the shared `bytes`. */
export interface CsvBodyRequest extends RowsRequest {
  kind: 'body';
  bytes: SharedArrayBuffer;
  offset: number; // of the text in `bytes`
  length: number;
}

/** Rows in bytes [start, end) of the file at `path`, all numeric (else the reply is not ok). */
export interface CsvRangeRequest extends RowsRequest {
  kind: 'range';
  path: string;
}

/** The profile's second pass over rows [from, to) of the shared columns, about the given means. */
export interface CsvSecondPassRequest {
  kind: 'second';
  columns: SharedArrayBuffer[];
  from: number;
  to: number;
  mean: number[];
  min: number[];
  max: number[];
}

export type CsvWorkerRequest = CsvBodyRequest | CsvRangeRequest | CsvSecondPassRequest;

/** The rows ('body', 'range'; with the first pass for 'range'). */
export type CsvRowsReply = ({ ok: true; first?: FirstPass[] } & CsvBody) | { ok: false };
/** The second pass ('second'). */
export type CsvSecondReply = { ok: true; second: SecondPass[] } | { ok: false };
export type CsvWorkerReply = CsvRowsReply | CsvSecondReply;

function rows(req: CsvBodyRequest | CsvRangeRequest): (CsvBody & { first?: FirstPass[] }) | null {
  const view = (c: number) => new Float64Array(req.columns[c], req.skip * 8, req.room);
  if (req.kind === 'body') {
    const b = Buffer.from(req.bytes, req.offset, req.length);
    return parseBody(b, req.start, req.end, req.ncol, req.separator, req.file, req.room, view);
  }
  const r = parsePathRange(req.path, req.start, req.end, req.ncol, req.separator, req.file, Array.from({ length: req.ncol }, (_, c) => view(c)));
  return r && { ...numericBody(r, req.ncol), first: r.first };
}

function serve(req: CsvWorkerRequest): { reply: CsvWorkerReply; transfer: ArrayBuffer[] } {
  if (req.kind === 'second') {
    const second = req.columns.map((sab, c) => secondPass(new Float64Array(sab), req.from, req.to, req.mean[c], req.min[c], req.max[c], emptySecond()));
    return { reply: { ok: true, second }, transfer: [] };
  }
  const body = rows(req);
  if (!body) return { reply: { ok: false }, transfer: [] };
  // arrays of their own (a column that needed more room, string codes) go back whole, transferred
  // (no copy); the host reads the first nrows. Views into the shared columns are just shared.
  const transfer: ArrayBuffer[] = [];
  for (const a of [...body.nums, ...body.codes]) if (a && a.buffer instanceof ArrayBuffer) transfer.push(a.buffer);
  return { reply: { ok: true, ...body }, transfer };
}

if (parentPort && workerData === CSV_WORKER_MARKER) {
  const port = parentPort;
  port.on('message', (req: CsvWorkerRequest) => {
    let out: { reply: CsvWorkerReply; transfer: ArrayBuffer[] } = { reply: { ok: false }, transfer: [] };
    try {
      out = serve(req);
    } catch {
      // the caller parses the whole file again in order, which reports the first error in the file
    }
    port.postMessage(out.reply, out.transfer);
  });
}
