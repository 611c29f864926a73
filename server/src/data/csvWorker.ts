// The second thread of a parallel CSV parse (csvParallel.ts, csvStream.ts), bundled on its own to
// dist/csvWorker.js so that it starts in milliseconds: parses the rows of its byte range, either of
// the shared file buffer ('body') or read from the file itself ('range'), and posts the columns back
// with their buffers transferred.
import { parentPort, workerData } from 'node:worker_threads';
import { parseBody, type CsvBody, type Separator } from './csv';
import { numericBody, parsePathRange } from './csvRange';

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

export type CsvWorkerRequest = CsvBodyRequest | CsvRangeRequest;

export type CsvWorkerReply =
  | ({ ok: true } & CsvBody)
  | { ok: false };

function serve(req: CsvWorkerRequest): CsvBody | null {
  const view = (c: number) => new Float64Array(req.columns[c], req.skip * 8, req.room);
  if (req.kind === 'body') {
    const b = Buffer.from(req.bytes, req.offset, req.length);
    return parseBody(b, req.start, req.end, req.ncol, req.separator, req.file, req.room, view);
  }
  const r = parsePathRange(req.path, req.start, req.end, req.ncol, req.separator, req.file, Array.from({ length: req.ncol }, (_, c) => view(c)));
  return r && numericBody(r, req.ncol);
}

if (parentPort && workerData === CSV_WORKER_MARKER) {
  const port = parentPort;
  port.on('message', (req: CsvWorkerRequest) => {
    let reply: CsvWorkerReply = { ok: false };
    const transfer: ArrayBuffer[] = [];
    try {
      const body = serve(req);
      // arrays of their own (a column that needed more room, string codes) go back whole, transferred
      // (no copy); the host reads the first nrows. Views into the shared columns are just shared.
      if (body) {
        for (const a of [...body.nums, ...body.codes]) if (a && a.buffer instanceof ArrayBuffer) transfer.push(a.buffer);
        reply = { ok: true, ...body };
      }
    } catch {
      // the caller parses the whole file again in order, which reports the first error in the file
    }
    port.postMessage(reply, transfer);
  });
}
