// Large all-numeric CSV files without reading the whole file into memory: the header is read from
// the first block, then this thread parses the first half of the rows and a worker (dist/csvWorker.js)
// the second, each reading its own byte range of the file in chunks (csvRange.ts) into one shared
// array per column, which are joined in place. Peak memory is then the columns plus two chunks,
// not the columns plus the file. Taken only where the result equals the whole-file parse: no explicit
// encoding, a UTF-8 header, no quote character in the rows, every column numeric, no error, a line
// end near the middle. Otherwise (or if anything fails) the answer is null and the caller reads
// the whole file (csvParallel.ts), which also reports errors with their line numbers.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { assemble, parseBody, parseHeader, type CsvOptions, type CsvResult } from './csv';
import { askWorker, join2 } from './csvParallel';
import { numericBody, parseFileRange } from './csvRange';
import { catalogOf, numericProfile, type Catalog } from './catalog';
import { emptySecond, mergeFirst, mergeSecond, secondPass, type FirstPass } from './moments';
import type { DataTable, NumericColumn } from './table';
import { checkStats } from './readFile';

/** Bytes read for the header and to size the columns (and looked through for a line end at the split). */
const HEAD_BYTES = 1 << 16;
const LF = 10;

function readAt(fd: number, size: number, at: number, bytes: number): Buffer {
  const b = Buffer.allocUnsafe(Math.max(0, Math.min(bytes, size - at)));
  let got = 0;
  while (got < b.length) {
    const k = readSync(fd, b, got, b.length - got, at + got);
    if (k === 0) break;
    got += k;
  }
  return b.subarray(0, got);
}

/** The parsed columns of a file as the whole-file parse gives them, or null (see above). `worker` is left running. */
export async function parseCsvStreamed(path: string, opts: CsvOptions, worker: Worker | null, minBytes: number): Promise<CsvResult | null> {
  if (opts.encoding !== undefined) return null;
  let fd: number;
  try {
    checkStats(statSync(path), path); // before opening: opening a FIFO blocks
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return await streamed(fd, path, opts, worker, minBytes);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

async function streamed(fd: number, path: string, opts: CsvOptions, worker: Worker | null, minBytes: number): Promise<CsvResult | null> {
  const st = fstatSync(fd);
  checkStats(st, path);
  const size = st.size;
  if (size < minBytes) return null;
  const head0 = readAt(fd, size, 0, HEAD_BYTES);
  const headEnd = head0.lastIndexOf(LF) + 1;
  if (headEnd === 0) return null;
  const head = head0.subarray(0, headEnd);
  const h = parseHeader(head, path, opts);
  // the header's bytes must be the file's own (no transcoding), the BOM at most skipped
  if (h.encoding !== 'utf-8' || h.bytes.buffer !== head.buffer) return null;
  const bodyStart = h.bytes.byteOffset - head.byteOffset + h.bodyStart;
  // The first block's rows: their types (a text column goes to the whole-file parse at once) and
  // their mean length, which sizes the columns.
  const probe = parseBody(head, bodyStart, headEnd, h.ncol, h.separator, path);
  if (probe.nrows === 0 || probe.numeric.some((k) => !k) || head.indexOf(34, bodyStart) >= 0) return null;
  const perRow = (headEnd - bodyStart) / probe.nrows;
  const rowsIn = (bytes: number) => Math.ceil((bytes / perRow) * 1.05) + 1024;

  let split = size;
  if (worker) {
    const mid = bodyStart + Math.floor((size - bodyStart) / 2);
    const nl = readAt(fd, size, mid, HEAD_BYTES).indexOf(LF);
    if (nl >= 0 && mid + nl + 1 < size) split = mid + nl + 1;
  }
  const room1 = rowsIn(split - bodyStart);
  const room2 = split < size ? rowsIn(size - split) : 0;
  const columns = Array.from({ length: h.ncol }, () => new SharedArrayBuffer((room1 + room2) * 8));
  const pending = worker && split < size
    ? askWorker(worker, { kind: 'range', path, start: split, end: size, ncol: h.ncol, separator: h.separator, file: path, columns, skip: room1, room: room2 })
    : null;
  const first = parseFileRange(fd, bodyStart, split, h.ncol, h.separator, path, columns.map((s) => new Float64Array(s, 0, room1)));
  const rest = pending ? await pending : null;
  if (!first || (rest && !(rest.ok && rest.first))) return null;
  const stats = rest?.ok && rest.first ? first.first.map((f, c) => mergeFirst(f, rest.first![c])) : first.first;
  const a = numericBody(first, h.ncol);
  const body = rest?.ok ? join2(a, rest, columns, room1) : a;
  const r = assemble(h, body, stats.map((f) => f.integer));
  const values = r.table.columns.map((c) => (c.kind === 'numeric' ? c.values : new Float64Array(0)));
  const onBoth = !!rest && values.every((v, c) => v.buffer === columns[c]);
  const catalog = await profiled(r.table, values, stats, onBoth ? { worker: worker!, columns, from: first.nrows } : null);
  return { ...r, threads: rest ? 2 : 1, catalog };
}

/** The catalog from the first pass made while parsing, its second pass split with the worker when `share` says how. */
async function profiled(table: DataTable, values: Float64Array[], first: FirstPass[], share: { worker: Worker; columns: SharedArrayBuffer[]; from: number } | null): Promise<Catalog> {
  const total = table.nrows;
  const mean = first.map((f) => (f.n ? f.sum / f.n : NaN));
  const min = first.map((f) => f.min);
  const max = first.map((f) => f.max);
  const split = share && share.from < total ? share.from : total;
  const pending = split < total ? askWorker(share!.worker, { kind: 'second', columns: share!.columns, from: split, to: total, mean, min, max }) : null;
  const mine = values.map((v, c) => secondPass(v, 0, split, mean[c], min[c], max[c], emptySecond()));
  const theirs = pending ? await pending : null;
  const second = mine.map((s, c) => {
    if (split === total) return s;
    if (theirs?.ok) return mergeSecond(s, theirs.second[c]);
    return secondPass(values[c], split, total, mean[c], min[c], max[c], s); // the worker failed: here
  });
  return catalogOf(total, table.columns.map((col, c) => numericProfile(col as NumericColumn, first[c], first[c].n ? second[c] : null)));
}
