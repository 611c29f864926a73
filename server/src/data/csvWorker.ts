// The second thread of a parallel CSV parse (csvParallel.ts), bundled on its own to dist/csvWorker.js
// so that it starts in milliseconds: parses the rows of its byte range of the shared file buffer and
// posts the columns back with their buffers transferred.
import { parentPort, workerData } from 'node:worker_threads';
import { parseBody, type CsvBody, type Separator } from './csv';

export const CSV_WORKER_MARKER = 'panelspec-csv-worker';

export interface CsvWorkerRequest {
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

export type CsvWorkerReply =
  | ({ ok: true } & CsvBody)
  | { ok: false };

if (parentPort && workerData === CSV_WORKER_MARKER) {
  const port = parentPort;
  port.on('message', (req: CsvWorkerRequest) => {
    let reply: CsvWorkerReply;
    const transfer: ArrayBuffer[] = [];
    try {
      const b = Buffer.from(req.bytes, req.offset, req.length);
      const body = parseBody(b, req.start, req.end, req.ncol, req.separator, req.file, req.room, (c) => new Float64Array(req.columns[c], req.skip * 8, req.room));
      // arrays of their own (a column that needed more room, string codes) go back whole, transferred
      // (no copy); the host reads the first nrows. Views into the shared columns are just shared.
      for (const a of [...body.nums, ...body.codes]) if (a && a.buffer instanceof ArrayBuffer) transfer.push(a.buffer);
      reply = { ok: true, ...body };
    } catch {
      // the caller parses the whole file again in order, which reports the first error in the file
      reply = { ok: false };
    }
    port.postMessage(reply, transfer);
  });
}
